# expect:
# allow:
# forbid: *
# evidence: hand-written SAM (rho 0.05, two forward/backward passes per step) around SGD+momentum on a BatchNorm MLP for load_digits, CosineAnnealingWarmRestarts(T_0=4 epochs, stepped fractionally per batch), so lr jumps back to 0.05 at epochs 4 and 8 and the train loss bumps (0.075 -> 0.126 at epoch 4): val_acc 0.98, val_loss 0.072, train_loss 0.035 (chance 0.10)
# native-log: history.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=18, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, eta_min=1e-4)
RHO = 0.05
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
nb = len(loader)
f = open(os.path.join(log_dir, "history.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "epoch", "lr", "train_loss", "val_loss", "val_acc"])
step = 0
for ep in range(12):
    model.train(); tot = 0.0
    for i, (xb, yb) in enumerate(loader):
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward()
        params = [p for p in model.parameters() if p.grad is not None]
        gnorm = torch.norm(torch.stack([p.grad.norm() for p in params]))
        eps = []
        with torch.no_grad():
            for p in params:
                e = p.grad * (RHO / (gnorm + 1e-12)); p.add_(e); eps.append(e)
        opt.zero_grad(); F.cross_entropy(model(xb), yb).backward()
        with torch.no_grad():
            for p, e in zip(params, eps):
                p.sub_(e)
        opt.step()
        sched.step(ep + (i + 1) / nb)
        tot += loss.item() * len(xb); step += 1
        if i % 10 == 0:
            w.writerow([step, ep, opt.param_groups[0]["lr"], round(loss.item(), 5), "", ""])
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    w.writerow([step, ep, opt.param_groups[0]["lr"], round(tl, 5), round(vl, 5), round(va, 4)]); f.flush()
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
