# expect:
# allow:
# forbid: *
# evidence: greedy-decoded val label error rate 0.016 after 12 epochs (chance 1.0); val CTC 0.049 vs train 0.015, val still falling at the end
"""Healthy: CTC training of a small bidirectional GRU on speech-like frame sequences.

Each utterance is a sequence of 2-4 "phones" (vocab 6 + blank); each phone lasts 3-6 frames
and emits a noisy 12-d spectral template.  Adam lr=3e-3, grad clipping 1.0, CTCLoss(blank=0,
zero_infinity=True).  Metric: greedy-decoded label error rate on held-out utterances.
"""
import argparse, json, random
import torch, torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0); random.seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--epochs", type=int, default=12); args = ap.parse_args()

V, D = 6, 12
templates = torch.randn(V + 1, D) * 1.2

def make(n, g):
    xs, ys = [], []
    for _ in range(n):
        L = int(torch.randint(2, 5, (1,), generator=g))
        lab = torch.randint(1, V + 1, (L,), generator=g)
        frames = []
        frames.append(templates[0].repeat(int(torch.randint(1, 3, (1,), generator=g)), 1))
        for l in lab:
            k = int(torch.randint(3, 7, (1,), generator=g))
            frames.append(templates[l].repeat(k, 1))
            frames.append(templates[0].repeat(int(torch.randint(0, 2, (1,), generator=g)), 1))
        x = torch.cat(frames) + 0.6 * torch.randn(sum(f.shape[0] for f in frames), D, generator=g)
        xs.append(x); ys.append(lab)
    return xs, ys

g = torch.Generator().manual_seed(1)
trx, try_ = make(1200, g)
vax, vay = make(300, g)

def batchify(xs, ys):
    T = max(x.shape[0] for x in xs)
    X = torch.zeros(len(xs), T, D)
    for i, x in enumerate(xs): X[i, :x.shape[0]] = x
    xl = torch.tensor([x.shape[0] for x in xs]); yl = torch.tensor([len(y) for y in ys])
    return X, xl, torch.cat(ys), yl

class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.rnn = nn.GRU(D, 48, batch_first=True, bidirectional=True); s.out = nn.Linear(96, V + 1)
    def forward(s, x): return s.out(s.rnn(x)[0]).log_softmax(-1)

m = Net(); opt = torch.optim.Adam(m.parameters(), lr=3e-3)
ctc = nn.CTCLoss(blank=0, zero_infinity=True)

def edit(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        p, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            p, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, p + (a[i - 1] != b[j - 1]))
    return d[len(b)]

def evaluate(xs, ys):
    m.eval(); errs = tot = 0; loss = 0.0
    with torch.no_grad():
        for i in range(0, len(xs), 100):
            X, xl, Y, yl = batchify(xs[i:i+100], ys[i:i+100])
            lp = m(X); loss += float(ctc(lp.transpose(0, 1), Y, xl, yl)) * len(xl)
            best = lp.argmax(-1)
            for k in range(len(xl)):
                seq = best[k, :xl[k]].tolist(); dec = [c for j, c in enumerate(seq) if c != 0 and (j == 0 or c != seq[j-1])]
                errs += edit(dec, ys[i+k].tolist()); tot += len(ys[i+k])
    m.train(); return loss / len(xs), errs / tot

idx = list(range(len(trx)))
for ep in range(args.epochs):
    random.shuffle(idx); tl = 0.0
    for i in range(0, len(idx), 32):
        b = idx[i:i+32]; X, xl, Y, yl = batchify([trx[j] for j in b], [try_[j] for j in b])
        loss = ctc(m(X).transpose(0, 1), Y, xl, yl)
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step(); tl += loss.item() * len(b)
    vl, ler = evaluate(vax, vay)
    print(f"epoch {ep} train_ctc {tl/len(idx):.3f} val_ctc {vl:.3f} val_LER {ler:.3f}")
tl_, tler = evaluate(trx[:300], try_[:300])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_label_error_rate": round(ler, 4), "train_loss": round(tl_, 4), "train_label_error_rate": round(tler, 4), "chance_label_error_rate": 1.0}))
