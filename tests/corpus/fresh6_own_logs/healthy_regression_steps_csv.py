# expect:
# allow:
# forbid: *
# evidence: regression y = teacher MLP(x) + noise (noise var 0.01, target var ~1); MLP 10-64-64-1, Adam 2e-3 with step decay, 20 epochs: val_mse ~0.02 vs target variance ~1 (R^2 ~0.98)
# native-log: steps.csv
# log-expect:
# log-allow:
"""Regression; per-step CSV rows (step,epoch,loss,lr,val_mse) with val_mse filled only at epoch ends."""
import csv, json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(7)
teacher = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), nn.Linear(32, 1))
for p in teacher.parameters():
    p.requires_grad_(False)
def make(n):
    x = torch.randn(n, 10, generator=g)
    y = teacher(x)
    return x, y
xtr, ytr = make(3000)
xva, yva = make(600)
scale = ytr.std()
ytr = ytr / scale + 0.1 * torch.randn(ytr.shape, generator=g)
yva = yva / scale + 0.1 * torch.randn(yva.shape, generator=g)
var = yva.var().item()

model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.3)

f = open(os.path.join(LOG_DIR, "steps.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["step", "epoch", "loss", "lr", "val_mse"])
step = 0
for epoch in range(20):
    model.train()
    perm = torch.randperm(len(xtr))
    nb = len(range(0, len(xtr), 50))
    for j, i in enumerate(range(0, len(xtr), 50)):
        idx = perm[i:i + 50]
        loss = F.mse_loss(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        val = ""
        if j == nb - 1:
            model.eval()
            with torch.no_grad():
                vm = F.mse_loss(model(xva), yva).item()
            val = f"{vm:.5f}"
        w.writerow([step, epoch, f"{loss.item():.5f}", opt.param_groups[0]["lr"], val])
        step += 1
    sched.step()
    print(f"epoch {epoch} last batch loss {loss.item():.4f} val_mse {vm:.4f}")
f.close()
with torch.no_grad():
    tr = F.mse_loss(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "train_mse": round(tr, 5), "target_var": round(var, 4), "noise_var": 0.01}))
