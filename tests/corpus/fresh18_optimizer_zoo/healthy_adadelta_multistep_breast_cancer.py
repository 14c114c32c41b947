"""Adadelta at its standard lr=1.0 (which looks huge next to Adam's 1e-3, but Adadelta's own
RMS(dx)/RMS(g) ratio sets the real step size) with a MultiStepLR (x0.3 at epochs 8 and 12) on a
breast-cancer MLP with BatchNorm and heavy dropout (noisy epoch train loss, val flat at its best)."""
# expect:
# allow:
# forbid: *
# evidence: Adadelta lr=1.0 + MultiStepLR: val_loss 0.132 (ep3) then flat 0.119-0.126 for the rest, final val_loss 0.126, val_acc 0.959 (majority 0.626), train_loss 0.060 (noisy epoch values 0.06-0.10 under dropout 0.5)
# native-log: adadelta_tb
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=11, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)
model = nn.Sequential(nn.Linear(30, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.5),
                      nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 1))
opt = torch.optim.Adadelta(model.parameters(), lr=1.0, rho=0.9)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 12], gamma=0.3)
tb = SummaryWriter(os.path.join(LOG_DIR, "adadelta_tb"))
majority = max(yva.mean().item(), 1 - yva.mean().item())
for epoch in range(14):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        if len(idx) < 2:
            continue
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        lo = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(lo, yva).item(); va = ((lo > 0).float() == yva).float().mean().item()
    tb.add_scalar("Loss/train", tr, epoch); tb.add_scalar("Loss/val", vl, epoch); tb.add_scalar("Accuracy/val", va, epoch)
    tb.add_scalar("LR", opt.param_groups[0]["lr"], epoch)
    print(f"epoch {epoch:2d} lr {opt.param_groups[0]['lr']:.3f} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    sched.step()
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": round(majority, 4)}))
