# expect:
# allow:
# forbid: *
# evidence: train_loss jumps 0.0083 -> 0.050 when stage 2 arrives and 0.016 -> 0.176 at stage 3, then falls to 0.069; val_loss on the full distribution falls throughout 0.36 -> 0.083, final val_acc 0.963 (majority-class 0.638, labels noise-free)
# native-log: curriculum.csv
# log-expect:
# log-allow:
"""Curriculum learning: a synthetic 8-feature 3-class problem whose labels come from a fixed
teacher network. Examples are ranked by the teacher's margin; stage 1 trains on the easiest
third, stage 2 adds the middle third, stage 3 uses everything. The train loss rises each
time harder examples arrive, then comes back down. Validation is always on the full
distribution (labels are noise-free)."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "curriculum.csv"), "w")
log.write("epoch,stage,n_train,train_loss,val_loss,val_acc\n")

teacher = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 3))
with torch.no_grad():
    for p in teacher.parameters():
        p.mul_(1.0)
def make(n):
    X = torch.randn(n, 8)
    with torch.no_grad():
        logits = teacher(X)
    top2 = logits.topk(2, dim=1).values
    y = logits.argmax(1)
    return X, y, (top2[:, 0] - top2[:, 1])
Xtr, ytr, mtr = make(3000); Xva, yva, _ = make(1000)
order = torch.argsort(mtr, descending=True)  # easiest (largest margin) first

model = nn.Sequential(nn.Linear(8, 128), nn.Tanh(), nn.Linear(128, 3))
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
lossf = nn.CrossEntropyLoss()
ep = 0
for stage, frac, n_ep in [(1, 1 / 3, 3), (2, 2 / 3, 4), (3, 1.0, 14)]:
    sub = order[: int(frac * len(Xtr))]
    Xs, ys = Xtr[sub], ytr[sub]
    for _ in range(n_ep):
        model.train(); perm = torch.randperm(len(Xs)); tot = 0.0
        for i in range(0, len(Xs), 64):
            idx = perm[i:i + 64]
            loss = lossf(model(Xs[idx]), ys[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        tl = tot / len(Xs)
        log.write(f"{ep},{stage},{len(Xs)},{tl:.5f},{vl:.5f},{va:.4f}\n")
        print(f"stage {stage} epoch {ep} n={len(Xs)} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
        ep += 1
log.close()
chance = max(torch.bincount(yva).tolist()) / len(yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(chance, 3)}))
