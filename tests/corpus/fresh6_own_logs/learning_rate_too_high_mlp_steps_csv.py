# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, non_finite, dead_units, high_bias
# forbid: *
# evidence: planted SGD(momentum 0.9) lr=1.5: per-step loss 2.1 -> 5.9e4 within 18 steps, then stuck at ~2.1 (>= ln 8), val_acc 0.135 (chance 0.125); control lr=0.05: val_acc 0.954, val_loss 0.19
# control: --control
# native-log: metrics.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients, high_bias
"""MLP on blobs with plain SGD; per-step CSV 'step,loss,lr' plus val_loss/val_acc filled at epoch ends. Planted: lr=1.5 (control 0.05)."""
import csv, json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
LR = 0.05 if "--control" in sys.argv else 1.5

g = torch.Generator().manual_seed(1)
centers = 0.8 * torch.randn(8, 20, generator=g)
def make(n):
    y = torch.randint(0, 8, (n,), generator=g)
    return centers[y] + torch.randn(n, 20, generator=g), y
xtr, ytr = make(4000)
xva, yva = make(1000)

model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 8))
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
f = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["step", "loss", "lr", "val_loss", "val_acc"])
step = 0
for epoch in range(10):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        w.writerow([step, f"{loss.item():.5f}", LR, "", ""])
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
        tl = F.cross_entropy(model(xtr), ytr).item()
    w.writerow([step - 1, "", LR, f"{vl:.5f}", f"{va:.4f}"])
    f.flush()
    print(f"epoch {epoch} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.125, "lr": LR}))
