# expect:
# allow:
# forbid: *
# evidence: 10-class data, each class a mixture of 3 gaussian clusters in 32-d; MLP 32-256-256-10, AdamW + cosine, 60 epochs: train loss -> 0.0013, valid_top1 rises to 0.937 (chance 0.1) and valid_loss stays at its best (min 0.200, final 0.208)
# native-log: log.csv
# log-expect:
# log-allow:
"""Long training that drives train loss to ~0; val accuracy stays at its best. CSV: epoch,train_loss,valid_loss,valid_top1,lr."""
import csv, json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(2)
centers = 0.9 * torch.randn(30, 32, generator=g)   # 3 sub-clusters per class
def make(n):
    c = torch.randint(0, 30, (n,), generator=g)
    x = centers[c] + torch.randn(n, 32, generator=g)
    return x, c % 10
xtr, ytr = make(2000)
xva, yva = make(1000)

model = nn.Sequential(nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
EPOCHS = 60
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=5e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)

f = open(os.path.join(LOG_DIR, "log.csv"), "w", newline="")
w = csv.DictWriter(f, fieldnames=["epoch", "train_loss", "valid_loss", "valid_top1", "lr"])
w.writeheader()
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, n = 0.0, 0
    for i in range(0, len(xtr), 100):
        idx = perm[i:i + 100]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); n += len(idx)
    lr = opt.param_groups[0]["lr"]
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    w.writerow({"epoch": epoch, "train_loss": round(tl / n, 6), "valid_loss": round(vl, 5), "valid_top1": round(va, 4), "lr": lr})
    f.flush()
    if epoch % 5 == 4:
        print(f"epoch {epoch} train_loss {tl / n:.5f} valid_loss {vl:.4f} valid_top1 {va:.3f} lr {lr:.2e}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / n, 6), "chance_acc": 0.1}))
