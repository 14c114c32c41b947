"""Small CNN on 8x8 digits, SGD with Nesterov momentum and CosineAnnealingWarmRestarts
(T_0 = 3 epochs, T_mult = 2, stepped per batch). The train loss jumps up at each restart
(lr goes back to 0.1) and then recovers. Logs to TensorBoard via SummaryWriter."""
# expect:
# allow:
# forbid: *
# evidence: SGD nesterov lr 0.1 + CosineAnnealingWarmRestarts (lr jumps back to 0.1 after epochs 3 and 9, per-step TB loss bumps there); final val_acc 0.987 (chance 0.10), val_loss 0.0315, train_loss 0.0022
# native-log: tb_warm_restarts
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1); self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 4 * 4, 10)
    def forward(self, x):
        x = F.relu(self.c1(x)); x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))

model = Net()
BS = 64; steps_per_epoch = (len(Xtr) + BS - 1) // BS
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3 * steps_per_epoch, T_mult=2, eta_min=1e-4)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_warm_restarts"))
step = 0
for epoch in range(12):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tb.add_scalar("train/loss", loss.item(), step); tb.add_scalar("lr", opt.param_groups[0]["lr"], step)
        sched.step(); step += 1; tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    tb.add_scalar("val/loss", vl, step); tb.add_scalar("val/acc", va, step); tb.add_scalar("train/epoch_loss", tr, step)
    print(f"epoch {epoch:2d} lr_end {opt.param_groups[0]['lr']:.4f} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": 0.1}))
