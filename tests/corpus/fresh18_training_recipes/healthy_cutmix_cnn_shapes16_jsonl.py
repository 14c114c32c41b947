# expect:
# allow:
# forbid: *
# evidence: CutMix train loss stays 0.43-0.70 and noisy while val_acc 0.985, val_loss 0.19 on 4 synthetic shape classes (chance 0.25)
# native-log: cutmix_log.jsonl
# log-expect:
# log-allow:
"""Small CNN on synthetic 16x16 shape images (4 classes) trained with CutMix
(prob 0.5, area-weighted soft targets) + AdamW + one-cycle schedule. Logs JSON lines."""
import os, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(1); np.random.seed(1); random.seed(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

def make_shapes(n, rng):
    X = np.zeros((n, 1, 16, 16), np.float32); y = rng.integers(0, 4, n)
    for k in range(n):
        r, c = rng.integers(3, 13, 2); s = rng.integers(2, 4)
        img = X[k, 0]
        if y[k] == 0: img[r, max(0, c - s):c + s + 1] = 1          # horizontal bar
        elif y[k] == 1: img[max(0, r - s):r + s + 1, c] = 1        # vertical bar
        elif y[k] == 2: img[max(0, r - s):r + s + 1, max(0, c - s):c + s + 1] = 1  # filled square
        else: img[r, max(0, c - s):c + s + 1] = 1; img[max(0, r - s):r + s + 1, c] = 1  # cross
    X += rng.normal(0, 0.3, X.shape).astype(np.float32)
    return torch.tensor(X), torch.tensor(y)

rng = np.random.default_rng(1)
Xtr, ytr = make_shapes(1200, rng); Xva, yva = make_shapes(400, rng)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1),
                      nn.Flatten(), nn.Linear(32, 4))
EPOCHS, BS = 14, 64
steps = EPOCHS * ((len(Xtr) + BS - 1) // BS)
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.05)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)

def cutmix(x, y):
    lam = np.random.beta(1.0, 1.0); j = torch.randperm(len(x))
    H = x.shape[2]; cut = int(H * np.sqrt(1 - lam))
    cy, cx = np.random.randint(H), np.random.randint(H)
    y1, y2 = max(cy - cut // 2, 0), min(cy + cut // 2, H); x1, x2 = max(cx - cut // 2, 0), min(cx + cut // 2, H)
    x = x.clone(); x[:, :, y1:y2, x1:x2] = x[j, :, y1:y2, x1:x2]
    lam = 1 - (y2 - y1) * (x2 - x1) / (H * H)
    return x, y, y[j], lam

logf = open(os.path.join(log_dir, "cutmix_log.jsonl"), "w"); step = 0
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tl = []
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]; xb, yb = Xtr[idx], ytr[idx]
        if random.random() < 0.5:
            xb, ya, yb2, lam = cutmix(xb, yb); out = model(xb)
            loss = lam * F.cross_entropy(out, ya) + (1 - lam) * F.cross_entropy(out, yb2)
        else:
            loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1
        tl.append(loss.item())
        if step % 5 == 0:
            logf.write(json.dumps({"step": step, "epoch": ep + 1, "train_loss": round(loss.item(), 4), "lr": opt.param_groups[0]["lr"]}) + "\n")
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    logf.write(json.dumps({"step": step, "epoch": ep + 1, "val_loss": round(vl, 4), "val_acc": round(va, 4)}) + "\n"); logf.flush()
    print(f"epoch {ep+1} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
logf.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(float(np.mean(tl)), 4), "chance_acc": 0.25}))
