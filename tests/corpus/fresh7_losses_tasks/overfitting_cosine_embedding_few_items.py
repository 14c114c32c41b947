# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (80 items): train cosine loss 0.136 -> 0.000 and train pair acc 1.000 by epoch 5, held-out loss stalls at 0.306 from epoch 5 to 60, held-out acc 0.69 (chance 0.5); control (4000 items) held-out loss keeps falling to 0.082, acc 0.925
# control: --control
# native-log: pairs_training.csv
# log-expect: overfitting
# log-allow: high_variance
"""Planted: a siamese embedder (CosineEmbeddingLoss) trained for long on pairs from only 80 items.

Product-matching style verification: items of 25 products, 64-d noisy descriptors (heavy
nuisance noise, so learning the invariances needs many items).  MLP embedder 64-256-256-32,
nn.CosineEmbeddingLoss(margin=0.3) on (a, b, +1/-1) pairs, half positive; Adam lr=1e-3, 60 epochs
of 1500 fixed pairs.  Planted: the pairs are built from only 80 distinct training items, so the
network memorises them (train loss -> ~0) while held-out pairs get worse.  --control: pairs built
from 4000 training items; nothing else changes.  Metrics: held-out pair verification accuracy at
cos > 0.5 (chance 0.5) and held-out loss.  Writes its own CSV log.
"""
import argparse, csv, json, os, tempfile
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
K, D = 25, 64
protos = torch.randn(K, D); nuis = torch.randn(16, D)

def items(n, g):
    y = torch.randint(0, K, (n,), generator=g)
    return protos[y] + torch.randn(n, 16, generator=g) @ nuis * 0.45 + 0.9 * torch.randn(n, D, generator=g), y

def pairs(x, y, n, g):
    a = torch.randint(0, len(x), (n,), generator=g); pos = torch.rand(n, generator=g) < 0.5
    b = torch.randint(0, len(x), (n,), generator=g)
    for i in torch.nonzero(pos).flatten().tolist():
        cand = torch.nonzero(y == y[a[i]]).flatten(); b[i] = cand[torch.randint(0, len(cand), (1,), generator=g)]
    t = torch.where(y[a] == y[b], 1.0, -1.0)
    return x[a], x[b], t

g = torch.Generator().manual_seed(1)
xi, yi = items(4000 if args.control else 80, g)
vx, vy = items(1000, g)
ta, tb, tt = pairs(xi, yi, 1500, g); va, vb, vt = pairs(vx, vy, 2000, g)
print("train items", len(xi), "train pairs positive share", round(float((tt > 0).float().mean()), 3))
emb = nn.Sequential(nn.Linear(D, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 32))
crit = nn.CosineEmbeddingLoss(margin=0.3)
opt = torch.optim.Adam(emb.parameters(), lr=1e-3)

def ev(a, b, t):
    with torch.no_grad():
        ea, eb = emb(a), emb(b); l = float(crit(ea, eb, t)); c = F.cosine_similarity(ea, eb)
        return l, float((torch.where(c > 0.5, 1.0, -1.0) == t).float().mean())

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
f = open(os.path.join(logdir, "pairs_training.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["Epoch", "TrainCosLoss", "TrainVerifAcc", "HeldoutCosLoss", "HeldoutVerifAcc"])
for ep in range(60):
    perm = torch.randperm(len(ta)); tot = 0.0; nb = 0
    for i in range(0, len(ta), 50):
        b = perm[i:i + 50]; loss = crit(emb(ta[b]), emb(tb[b]), tt[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    trl, tra = ev(ta, tb, tt); vl, vacc = ev(va, vb, vt)
    w.writerow([ep + 1, round(tot / nb, 5), round(tra, 4), round(vl, 5), round(vacc, 4)]); f.flush()
    if ep % 5 == 4 or ep < 3: print(f"epoch {ep+1} loss {tot/nb:.4f} train_acc {tra:.3f} val_loss {vl:.4f} val_acc {vacc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "chance_acc": 0.5}))
