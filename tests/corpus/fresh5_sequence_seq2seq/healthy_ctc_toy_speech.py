# expect:
# allow:
# forbid: *
# evidence: conv+BiGRU CTC; held-out greedy label error rate 0.034 (1 - LER = 0.967), exact match 0.88; val CTC 0.10 vs train 0.07
"""CTC on a toy 'speech' task.

Each utterance is a sequence of 2-5 'phones' (out of 8). A phone is rendered as 3-6 frames of a
16-dim feature vector: a phone-specific template plus noise, with short noisy silences between
phones. A small conv front end + BiGRU emits per-frame log-probs; nn.CTCLoss. Held-out metric:
greedy-decoded label error rate (edit distance / reference length) and exact-match rate.
"""
import json
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
np.random.seed(5)
torch.manual_seed(5)

NPH, FEAT, BLANK = 8, 16, 0
templates = np.random.randn(NPH, FEAT).astype(np.float32)


def utterance():
    n = np.random.randint(2, 6)
    labels = np.random.randint(1, NPH + 1, size=n)
    frames = [np.random.randn(np.random.randint(1, 3), FEAT) * 0.3]
    for lab in labels:
        k = np.random.randint(3, 7)
        frames.append(templates[lab - 1] + 1.1 * np.random.randn(k, FEAT))
        frames.append(np.random.randn(np.random.randint(1, 3), FEAT) * 0.3)
    return np.concatenate(frames).astype(np.float32), labels


def make_set(n):
    return [utterance() for _ in range(n)]


def collate(items):
    T = max(len(f) for f, _ in items)
    x = torch.zeros(len(items), T, FEAT)
    for i, (f, _) in enumerate(items):
        x[i, :len(f)] = torch.from_numpy(f)
    in_len = torch.tensor([len(f) for f, _ in items])
    tgt = torch.from_numpy(np.concatenate([l for _, l in items])).long()
    tgt_len = torch.tensor([len(l) for _, l in items])
    return x, in_len, tgt, tgt_len


class Acoustic(nn.Module):
    def __init__(self, hid=32):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(FEAT, hid, 3, padding=1), nn.BatchNorm1d(hid), nn.ReLU())
        self.rnn = nn.GRU(hid, hid, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hid, NPH + 1)

    def forward(self, x):
        h = self.conv(x.transpose(1, 2)).transpose(1, 2)
        h, _ = self.rnn(h)
        return self.out(h).log_softmax(-1)


def edit_distance(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(b)]


def greedy(logp, lens):
    best = logp.argmax(-1)
    hyps = []
    for b in range(best.size(0)):
        seq, last = [], BLANK
        for t in best[b, :lens[b]].tolist():
            if t != last and t != BLANK:
                seq.append(t)
            last = t
        hyps.append(seq)
    return hyps


train, val = make_set(1000), make_set(400)
model = Acoustic()
ctc = nn.CTCLoss(blank=BLANK, zero_infinity=True)
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)


def evaluate(items):
    model.eval()
    with torch.no_grad():
        x, il, t, tl = collate(items)
        logp = model(x)
        loss = ctc(logp.transpose(0, 1), t, il, tl).item()
        hyps = greedy(logp, il)
    errs = sum(edit_distance(h, list(l)) for h, (_, l) in zip(hyps, items))
    ref = sum(len(l) for _, l in items)
    exact = np.mean([h == list(l) for h, (_, l) in zip(hyps, items)])
    model.train()
    return loss, errs / ref, float(exact)


BS = 32
for epoch in range(6):
    perm = np.random.permutation(len(train))
    for i in range(0, len(train), BS):
        x, il, t, tl = collate([train[j] for j in perm[i:i + BS]])
        logp = model(x)
        loss = ctc(logp.transpose(0, 1), t, il, tl)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
    vl, ler, ex = evaluate(val)
    sched.step(vl)
    print(f"epoch {epoch}: train_ctc {loss.item():.3f} val_ctc {vl:.3f} val_LER {ler:.3f} val_exact {ex:.3f}")

tl_, tler, _ = evaluate(train[:400])
vl, ler, ex = evaluate(val)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ler": round(ler, 4), "val_acc": round(1 - ler, 4),
                                     "val_exact_match": round(ex, 4), "train_loss": round(tl_, 4), "train_ler": round(tler, 4)}))
