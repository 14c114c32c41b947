# expect:
# allow:
# forbid: *
# evidence: 4-class 20x20 grating images (orientation 0/45/90/135 deg, random frequency+phase, noise 0.8); CNN+BatchNorm, CrossEntropy label_smoothing=0.1 (so the train-loss floor is 0.349, not 0; it plateaus at ~0.39 by design), Adam 2e-3, 8 epochs: Val Acc ~0.99 (chance 0.25)
# native-log: results.csv
# log-expect:
# log-allow:
"""CNN with label smoothing; CSV with human-readable headers: Epoch,Train Loss,Train Acc,Val Loss,Val Acc."""
import csv, json, math, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(21)
S = 20
yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
def gratings(n):
    y = torch.randint(0, 4, (n,), generator=g)
    th = y.float() * math.pi / 4 + 0.15 * torch.randn(n, generator=g)
    fr = 0.15 + 0.15 * torch.rand(n, generator=g)
    ph = 2 * math.pi * torch.rand(n, generator=g)
    u = torch.cos(th)[:, None, None] * xx + torch.sin(th)[:, None, None] * yy
    img = torch.sin(2 * math.pi * fr[:, None, None] * u + ph[:, None, None])
    return (img + 0.8 * torch.randn(n, S, S, generator=g)).unsqueeze(1), y
xtr, ytr = gratings(2000)
xva, yva = gratings(500)

model = nn.Sequential(
    nn.Conv2d(1, 16, 5, padding=2), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 4))
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)

f = open(os.path.join(LOG_DIR, "results.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["Epoch", "Train Loss", "Train Acc", "Val Loss", "Val Acc"])
for epoch in range(1, 9):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, tc, n = 0.0, 0, 0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        out = model(xtr[idx])
        loss = crit(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (out.argmax(1) == ytr[idx]).sum().item(); n += len(idx)
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = crit(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, f"{tl / n:.4f}", f"{tc / n:.4f}", f"{vl:.4f}", f"{va:.4f}"])
    f.flush()
    print(f"Epoch {epoch}: Train Loss {tl / n:.4f} Train Acc {tc / n:.3f} Val Loss {vl:.4f} Val Acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / n, 4), "chance_acc": 0.25, "label_smoothing": 0.1}))
