# expect:
# allow:
# forbid: *
# evidence: float64 tanh MLP on a deterministic smooth target: val_mse 0.0051 vs target variance 0.306 (R^2 0.983), train_mse 0.0045; metric: val_mse / R^2
# native-log: tb
# log-expect:
# log-allow:
"""float64 MLP (torch.set_default_dtype(float64)) fitting a smooth noise-free function; the losses end
up small in absolute terms (~5e-3) because the target is deterministic. Logs to TensorBoard via SummaryWriter."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_default_dtype(torch.float64)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))

def target(x):
    return torch.sin(2 * x[:, :1]) * torch.cos(x[:, 1:2]) + 0.3 * x[:, 2:3] ** 2
Xtr = torch.rand(1500, 3) * 4 - 2; Xva = torch.rand(500, 3) * 4 - 2
ytr, yva = target(Xtr), target(Xva)
model = nn.Sequential(nn.Linear(3, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
step = 0
for ep in range(30):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 100):
        idx = perm[i:i + 100]
        loss = ((model(Xtr[idx]) - ytr[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); step += 1
    sched.step()
    with torch.no_grad():
        vl = ((model(Xva) - yva) ** 2).mean().item()
    writer.add_scalar("loss/train", tot / len(Xtr), ep)
    writer.add_scalar("loss/val", vl, ep)
    writer.add_scalar("lr", opt.param_groups[0]["lr"], ep)
    print(f"epoch {ep} train_mse {tot/len(Xtr):.3e} val_mse {vl:.3e}")
writer.close()
var = yva.var().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 7), "train_mse": round(tot / len(Xtr), 7), "target_var": round(var, 4), "r2": round(1 - vl / var, 5)}))
