# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.984 (chance 0.25), val_loss 0.062, train_loss 0.013
# native-log: sgd_cnn_cosine_log.csv
# log-expect:
# log-allow:
"""Notebook-style flat script: small CNN on synthetic 12x12 "stroke" images (4 orientations),
noisier than its broken sibling, SGD(momentum=0.9, lr=0.02) with a cosine schedule over 10 epochs.

Healthy twin of learning_rate_too_high_sgd_lr_typo_cnn.py (lr typo fixed, cosine decay added).
Writes its own per-epoch CSV log (epoch, lr, loss_train, loss_val, acc_val).
"""
import csv, json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LR = 0.02

# ---- data -----------------------------------------------------------------
def strokes(n, g):
    imgs = torch.zeros(n, 1, 12, 12)
    ys = torch.randint(0, 4, (n,), generator=g)
    for k in range(n):
        r, c = torch.randint(2, 10, (2,), generator=g).tolist()
        L = int(torch.randint(3, 6, (1,), generator=g))
        for t in range(-L, L + 1):
            if ys[k] == 0: rr, cc = r, c + t
            elif ys[k] == 1: rr, cc = r + t, c
            elif ys[k] == 2: rr, cc = r + t, c + t
            else: rr, cc = r + t, c - t
            if 0 <= rr < 12 and 0 <= cc < 12:
                imgs[k, 0, rr, cc] = 1.0
    imgs += 0.5 * torch.randn(imgs.shape, generator=g)
    return (imgs - 0.1) / 0.55, ys

g = torch.Generator().manual_seed(123)
xtr, ytr = strokes(3000, g)
xva, yva = strokes(800, g)

# ---- model ----------------------------------------------------------------
net = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1), nn.Flatten(),
    nn.Linear(32, 4),
)
opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=0.9, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
fh = open(os.path.join(log_dir, "sgd_cnn_cosine_log.csv"), "w", newline="")
w = csv.writer(fh)
w.writerow(["epoch", "lr", "loss_train", "loss_val", "acc_val"])

def val():
    net.eval()
    with torch.no_grad():
        o = net(xva)
        l, a = F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
    net.train()
    return l, a

for epoch in range(10):
    perm = torch.randperm(len(xtr)); s = 0.0; n = 0
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        opt.zero_grad()
        loss = F.cross_entropy(net(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        s += loss.item() * len(idx); n += len(idx)
    cur_lr = opt.param_groups[0]["lr"]
    sched.step()
    vl, va = val()
    w.writerow([epoch + 1, f"{cur_lr:.6f}", f"{s/n:.5f}", f"{vl:.5f}", f"{va:.4f}"]); fh.flush()
    print(f"[{epoch+1}] train {s/n:.4f} val {vl:.4f} acc {va:.3f}")
fh.close()

net.eval()
with torch.no_grad():
    tl = F.cross_entropy(net(xtr), ytr).item()
    hist = torch.bincount(net(xva).argmax(1), minlength=4).tolist()
print("predicted class histogram on val:", hist)
vl, va = val()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.25}))
