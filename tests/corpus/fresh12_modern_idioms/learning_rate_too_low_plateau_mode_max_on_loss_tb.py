# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: MLP regression on standardised make_friedman1 (n=1200, noise 0.3), Adam 3e-3, ReduceLROnPlateau(factor=0.1, patience=2) stepped on val loss but with mode="max": every epoch the loss "fails to increase" so the lr is cut 10x every 3 epochs (3e-3 -> 3e-9): planted val_mse 0.0986 (flat from epoch 9), train_mse 0.092; control (--control, mode="min") val_mse 0.0197, train_mse 0.0072, lr still 3e-3 until epoch ~20 (target variance 0.88)
# control: --control
# native-log: tb
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import make_friedman1
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(log_dir, "tb"))

X, y = make_friedman1(n_samples=1200, n_features=10, noise=0.3, random_state=0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=12)
mx, sx = Xtr.mean(0), Xtr.std(0); my, sy = ytr.mean(), ytr.std()
Xtr = torch.tensor((Xtr - mx) / sx, dtype=torch.float32); Xva = torch.tensor((Xva - mx) / sx, dtype=torch.float32)
ytr = torch.tensor((ytr - my) / sy, dtype=torch.float32); yva = torch.tensor((yva - my) / sy, dtype=torch.float32)

model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min" if CONTROL else "max", factor=0.1, patience=2)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
step = 0
for ep in range(25):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.mse_loss(model(xb).squeeze(1), yb)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb); step += 1
        writer.add_scalar("train/loss_step", loss.item(), step)
    model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva).squeeze(1), yva).item()
    tl = tot / len(Xtr)
    sched.step(vl)
    lr = opt.param_groups[0]["lr"]
    writer.add_scalar("train/loss", tl, ep); writer.add_scalar("val/loss", vl, ep); writer.add_scalar("lr", lr, ep)
    print(f"epoch {ep} train_mse {tl:.4f} val_mse {vl:.4f} lr {lr:.1e}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(float(yva.var()), 4), "final_lr": lr}))
