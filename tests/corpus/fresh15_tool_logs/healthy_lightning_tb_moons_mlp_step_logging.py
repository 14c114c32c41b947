"""Two-moons MLP trained the way a LightningModule logs it: per-step train_loss every 50 steps
(log_every_n_steps=50), val_loss / val_acc per epoch, 'epoch' and a LearningRateMonitor 'lr-Adam'
series, written to Lightning's TensorBoardLogger layout lightning_logs/version_0/ (event file +
hparams.yaml). Small noisy moons; the model reaches the noise-limited accuracy.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val_acc 0.936 on noisy moons (a tuned RBF-SVM gets 0.928 on the same split; chance 0.50), val_loss flat between 0.156 and 0.178 from epoch 2 on (ends 0.157), train_acc 0.948 - no gap
# native-log: lightning_logs/version_0
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import make_moons
from sklearn.svm import SVC

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
VDIR = os.path.join(LOG_DIR, "lightning_logs", "version_0"); os.makedirs(VDIR, exist_ok=True)
HP = dict(hidden=64, lr=0.01, batch_size=16, max_epochs=25, step_size=10, gamma=0.3)
with open(os.path.join(VDIR, "hparams.yaml"), "w") as f:
    for k, v in HP.items(): f.write(f"{k}: {v}\n")
tb = SummaryWriter(VDIR)

X, y = make_moons(n_samples=1500, noise=0.25, random_state=0)
Xtr, ytr, Xva, yva = X[:1000], y[:1000], X[1000:], y[1000:]
svm_acc = SVC(C=3.0, gamma=2.0).fit(Xtr, ytr).score(Xva, yva)   # reference: a well-tuned RBF-SVM
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(2, HP["hidden"]), nn.ReLU(), nn.Linear(HP["hidden"], HP["hidden"]), nn.ReLU(), nn.Linear(HP["hidden"], 2))
opt = torch.optim.Adam(model.parameters(), lr=HP["lr"])
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=HP["step_size"], gamma=HP["gamma"])
gstep = 0
for epoch in range(HP["max_epochs"]):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), HP["batch_size"]):
        idx = perm[i:i + HP["batch_size"]]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); gstep += 1
        if gstep % 50 == 0:
            tb.add_scalar("train_loss", loss.item(), gstep - 1); tb.add_scalar("epoch", epoch, gstep - 1)
            tb.add_scalar("lr-Adam", opt.param_groups[0]["lr"], gstep - 1)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    tb.add_scalar("val_loss", vl, gstep - 1); tb.add_scalar("val_acc", va, gstep - 1); tb.add_scalar("epoch", epoch, gstep - 1)
    sched.step()
    if epoch % 5 == 0 or epoch == HP["max_epochs"] - 1:
        print(f"epoch {epoch} val_loss {vl:.4f} val_acc {va:.4f} lr {opt.param_groups[0]['lr']:.4g}")
tb.close()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item(); tra = (model(Xtr).argmax(1) == ytr).float().mean().item()
print(f"reference RBF-SVM val_acc {svm_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "svm_val_acc": round(svm_acc, 4), "chance_acc": 0.5}))
