"""Digits MLP with Adam at lr=0.1 (the SGD value left in the config after switching to Adam).
Log hand-written in the layout Lightning's CSVLogger produces with log_every_n_steps=10 and
self.log(..., on_step=True, on_epoch=True): columns 'epoch', 'step', 'train_loss_step',
'train_loss_epoch', 'val_loss', 'val_acc' with per-step rows and per-epoch rows mixed and empty
cells; the metrics.csv sits in lightning_logs/version_1 next to an abandoned, empty version_0."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, dead_units, non_finite, high_bias
# forbid: *
# evidence: control (Adam lr=3e-3) val_acc 0.961, val_loss 0.119; planted (lr=0.1) val_acc 0.78, val_loss 0.55, logged step losses jumping between 0.24 and 2.9 within an epoch, train_loss_epoch 0.53 -> 0.48 -> 0.53 in the last epochs
# control: --control
# native-log: lightning_logs
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
LR = 3e-3 if "--control" in sys.argv else 0.1
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(logdir, "lightning_logs", "version_0"), exist_ok=True)
d = os.path.join(logdir, "lightning_logs", "version_1"); os.makedirs(d, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=LR)
cols = ["epoch", "step", "train_loss_step", "train_loss_epoch", "val_acc", "val_loss"]
rows = []; step = 0
for ep in range(12):
    model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); n += len(idx)
        if step % 10 == 9:
            rows.append({"epoch": ep, "step": step, "train_loss_step": f"{loss.item():.6g}"})
        step += 1
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = nn.functional.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    rows.append({"epoch": ep, "step": step - 1, "val_acc": f"{va:.6g}", "val_loss": f"{vl:.6g}"})
    rows.append({"epoch": ep, "step": step - 1, "train_loss_epoch": f"{tot/n:.6g}"})
with open(os.path.join(d, "metrics.csv"), "w") as f:
    f.write(",".join(cols) + "\n")
    for r in rows: f.write(",".join(str(r.get(c, "")) for c in cols) + "\n")
open(os.path.join(d, "hparams.yaml"), "w").write(f"lr: {LR}\noptimizer: adam\nbatch_size: 32\n")
tl = tot / n
print(f"lr {LR} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "lr": LR}))
