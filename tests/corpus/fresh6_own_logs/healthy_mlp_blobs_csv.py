# expect:
# allow:
# forbid: *
# evidence: 8-class gaussian blobs in 20-d; MLP 20-64-64-8, Adam 1e-3, 10 epochs: val_acc ~0.95 (chance 0.125), val_loss ~0.15 flat near its best
# native-log: train_log.csv
# log-expect:
# log-allow:
"""Plain MLP on gaussian blobs; writes its own per-epoch CSV (epoch,trn_loss,val_loss,val_acc)."""
import csv, json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

def make_blobs(n, centers, std=1.0, g=None):
    k = centers.shape[0]
    y = torch.randint(0, k, (n,), generator=g)
    x = centers[y] + std * torch.randn(n, centers.shape[1], generator=g)
    return x, y

g = torch.Generator().manual_seed(1)
centers = 0.8 * torch.randn(8, 20, generator=g)
xtr, ytr = make_blobs(6000, centers, g=g)
xva, yva = make_blobs(1000, centers, g=g)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 8))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

f = open(os.path.join(LOG_DIR, "train_log.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["epoch", "trn_loss", "val_loss", "val_acc"])
for epoch in range(10):
    model.train()
    perm = torch.randperm(len(xtr))
    tot, n = 0.0, 0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx); n += len(idx)
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, f"{tot / n:.5f}", f"{vl:.5f}", f"{va:.4f}"])
    f.flush()
    print(f"epoch {epoch:2d} trn_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / n, 4), "chance_acc": 0.125}))
