"""Breast-cancer MLP with SGD, lr=0.05 and momentum=0.999 (someone copied Adam's beta2 into the
momentum slot). The effective step lr/(1-beta) = 50 is enormous; the loss swings wildly.
--control uses momentum=0.9. Logs step/epoch loss, lr and momentum to TensorBoard."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, high_bias
# forbid: *
# evidence: control (momentum 0.9) val_acc 0.959, val_loss 0.145, train_loss 0.002; planted (momentum 0.999, same lr 0.05) epoch train loss swings 0.27 -> 29.7 -> 0.97 -> 2.05, val_acc flips between 0.374 and 0.626 (majority 0.626) at the end, final val_loss 1.69
# control: --control
# native-log: tb_momentum
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias
import os, sys, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
MOM = 0.9 if CONTROL else 0.999
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=MOM)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_momentum"))
majority = max(yva.mean().item(), 1 - yva.mean().item())
step = 0
for epoch in range(30):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tb.add_scalar("loss/train_step", loss.item(), step); tb.add_scalar("opt/lr", 0.05, step); tb.add_scalar("opt/momentum", MOM, step)
        step += 1; tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        lo = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(lo, yva).item(); va = ((lo > 0).float() == yva).float().mean().item()
    tb.add_scalar("loss/train_epoch", tr, step); tb.add_scalar("loss/val", vl, step); tb.add_scalar("acc/val", va, step)
    if epoch % 3 == 0 or epoch == 29:
        print(f"epoch {epoch:2d} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": round(majority, 4)}))
