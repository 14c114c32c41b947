"""Toy 'speech' recogniser: each utterance is a sequence of 2-5 'phones' drawn from 6 symbols, each
phone rendered as a burst of a symbol-specific tone pair of variable length, plus noise; features are
log-mel-like band energies from torch.stft. A BiGRU trained with nn.CTCLoss: the loss starts very high
(~15 per utterance in epoch 0), sits on a blank-only plateau for a while, then falls. Greedy-decode token error."""
# expect:
# allow:
# forbid: *
# evidence: healthy: CTC loss 21.4 in epoch 0, blank plateau ~2.6 for epochs 4-7 (token error 1.00), then falls to val_ctc 0.271 and greedy token error rate 0.009 (chance 0.833) at epoch 11
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
SR, HOP = 4000, 80; NSYM = 6
FREQS = [(400, 900), (500, 1300), (650, 1100), (800, 1600), (1000, 1400), (1200, 1800)]
def utter():
    labs = [random.randrange(NSYM) for _ in range(random.randint(2, 5))]; parts = []
    for l in labs:
        n = random.randint(6, 10) * HOP; tt = torch.arange(n) / SR; f1, f2 = FREQS[l]
        parts += [0.6 * (torch.sin(2 * math.pi * f1 * tt) + torch.sin(2 * math.pi * f2 * tt)), torch.zeros(random.randint(1, 3) * HOP)]
    x = torch.cat([torch.zeros(2 * HOP)] + parts); return x + 0.25 * torch.randn(len(x)), labs
win = torch.hann_window(256)
mel = torch.zeros(20, 129)  # crude triangular filterbank
centers = np.linspace(2, 126, 22).astype(int)
for m in range(20):
    a, b, c = centers[m], centers[m + 1], centers[m + 2]
    mel[m, a:b + 1] = torch.linspace(0, 1, b - a + 1); mel[m, b:c + 1] = torch.linspace(1, 0, c - b + 1)
def feats(x):
    p = torch.stft(x, 256, HOP, window=win, return_complex=True).abs() ** 2
    return torch.log(mel @ p + 1e-4).T            # (frames, 20)
def batch(m):
    data = [utter() for _ in range(m)]; fs = [feats(x) for x, _ in data]
    L = torch.tensor([len(f) for f in fs]); X = nn.utils.rnn.pad_sequence(fs, batch_first=True)
    tg = torch.tensor([l + 1 for _, labs in data for l in labs]); TL = torch.tensor([len(labs) for _, labs in data])
    return X, L, tg, TL, [labs for _, labs in data]
train = [batch(16) for _ in range(20)]; val = batch(60)
mu = torch.cat([b[0].reshape(-1, 20) for b in train]).mean(0); sd = torch.cat([b[0].reshape(-1, 20) for b in train]).std(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__(); self.gru = nn.GRU(20, 40, batch_first=True, bidirectional=True); self.out = nn.Linear(80, NSYM + 1)
    def forward(self, x): return self.out(self.gru((x - mu) / sd)[0]).log_softmax(-1)
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3); ctc = nn.CTCLoss(blank=0, reduction="sum", zero_infinity=False)
def edit(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1): prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
    return d[len(b)]
def evaluate():
    X, L, tg, TL, labs = val
    with torch.no_grad():
        lp = model(X); loss = ctc(lp.transpose(0, 1), tg, L, TL).item() / len(L); pred = lp.argmax(-1)
    errs = 0
    for k in range(len(L)):
        seq = pred[k, :L[k]].tolist(); out = [s - 1 for i, s in enumerate(seq) if s != 0 and (i == 0 or s != seq[i - 1])]
        errs += edit(out, labs[k])
    return loss, errs / TL.sum().item()
for epoch in range(12):
    model.train(); tl = 0.0
    for X, L, tg, TL, _ in train:
        loss = ctc(model(X).transpose(0, 1), tg, L, TL) / len(L)
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 5.0); opt.step(); tl += loss.item()
    vl, ter = evaluate(); print(f"epoch {epoch} train_ctc {tl / len(train):.3f} val_ctc {vl:.3f} val_token_error {ter:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_ctc_loss": round(vl, 4), "val_token_error_rate": round(ter, 4), "train_ctc_loss": round(tl / len(train), 4),
      "chance_token_error": round(1 - 1 / NSYM, 3)}))
