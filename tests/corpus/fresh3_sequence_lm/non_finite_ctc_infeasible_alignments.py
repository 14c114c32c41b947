# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: control (zero_infinity=True) val CER 0.00, seq acc 1.00, val CTC loss 0.002; planted (zero_infinity=False, 6% infeasible utterances) loss and weights NaN, val CER 1.00, seq acc 0.00
# control: --control
"""CTC recogniser (strided Conv1d front-end -> BiLSTM -> log_softmax -> nn.CTCLoss) on synthetic
'utterances': every label symbol is rendered as a run of noisy feature frames. The front-end
subsamples time by 3. About 6% of the training utterances are from 'fast speakers' (1-2 frames
per symbol), so after subsampling they have fewer output steps than labels: no CTC alignment
exists, the loss of those utterances is +inf and the backward pass produces NaN gradients that
poison every weight. nn.CTCLoss was left at its default zero_infinity=False. --control sets
zero_infinity=True (the infeasible utterances then contribute nothing); nothing else changes.
"""
import argparse
import json
import math

import torch
from torch import nn
from torch.nn import functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(9)
NSYM, FEAT, BLANK = 8, 16, 0  # labels 1..8, 0 = blank
g = torch.Generator().manual_seed(9)
protos = torch.randn(NSYM + 1, FEAT, generator=g)


def utterance(fast):
    L = int(torch.randint(3, 8, (1,), generator=g))
    lab = [int(torch.randint(1, NSYM + 1, (1,), generator=g))]
    while len(lab) < L:
        s = int(torch.randint(1, NSYM + 1, (1,), generator=g))
        if s != lab[-1]:
            lab.append(s)
    frames = []
    for s in lab:
        d = int(torch.randint(1, 3, (1,), generator=g)) if fast else int(torch.randint(4, 7, (1,), generator=g))
        frames += [protos[s]] * d
        if not fast and torch.rand(1, generator=g) < 0.5:
            frames += [protos[0]]  # short pause
    x = torch.stack(frames) + 0.5 * torch.randn(len(frames), FEAT, generator=g)
    return x, torch.tensor(lab)


def dataset(n, fast_frac):
    return [utterance(torch.rand(1, generator=g).item() < fast_frac) for _ in range(n)]


train = dataset(1500, 0.06)
val = dataset(300, 0.0)


def collate(items):
    xs = nn.utils.rnn.pad_sequence([x for x, _ in items], batch_first=True)
    ys = torch.cat([y for _, y in items])
    xl = torch.tensor([len(x) for x, _ in items])
    yl = torch.tensor([len(y) for _, y in items])
    return xs, ys, xl, yl


class CTCModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(FEAT, 64, kernel_size=3, stride=3)
        self.lstm = nn.LSTM(64, 64, batch_first=True, bidirectional=True)
        self.out = nn.Linear(128, NSYM + 1)

    def forward(self, x, xl):
        h = F.relu(self.conv(x.transpose(1, 2))).transpose(1, 2)
        ol = torch.div(xl - 3, 3, rounding_mode="floor") + 1
        h = self.lstm(h)[0]
        return self.out(h).log_softmax(-1), ol


def greedy(lp, ol):
    outs = []
    for seq, n in zip(lp.argmax(-1), ol):
        prev, o = None, []
        for s in seq[:n].tolist():
            if s != prev and s != BLANK:
                o.append(s)
            prev = s
        outs.append(o)
    return outs


def edit(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
    return d[len(b)]


model = CTCModel()
ctc = nn.CTCLoss(blank=BLANK, zero_infinity=args.control)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(5):
    perm = torch.randperm(len(train)).tolist()
    for i in range(0, len(train), 32):
        xs, ys, xl, yl = collate([train[j] for j in perm[i:i + 32]])
        lp, ol = model(xs, xl)
        loss = ctc(lp.transpose(0, 1), ys, ol, yl)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} last batch loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    xs, ys, xl, yl = collate(val)
    lp, ol = model(xs, xl)
    vloss = nn.CTCLoss(blank=BLANK)(lp.transpose(0, 1), ys, ol, yl).item()
    hyps = greedy(lp, ol)
    refs = [y.tolist() for _, y in val]
    cer = sum(edit(h, r) for h, r in zip(hyps, refs)) / sum(len(r) for r in refs)
    seq_acc = sum(h == r for h, r in zip(hyps, refs)) / len(refs)
print("CORPUS_METRIC " + json.dumps({
    "val_ctc_loss": round(vloss, 4) if math.isfinite(vloss) else str(vloss),
    "val_cer": round(cer, 4), "val_seq_acc": round(seq_acc, 4)}))
