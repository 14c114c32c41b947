# expect: non_finite
# allow: non_convergence
# forbid: *
# evidence: healthy until epoch 22 (step 552: val_loss 0.177 val_acc 0.936); at step 556 (epoch 23) a logit reaches 16.9, sigmoid rounds to 1.0, 0*log(0) -> NaN loss, all 6 parameter tensors NaN, val_acc 0.49 (chance 0.5); control (BCEWithLogitsLoss) never non-finite, ends val_loss 0.151 val_acc 0.944
# control: --control
# native-log: metrics.csv
# log-expect: non_finite
# log-allow: non_convergence
"""Binary classifier whose loss is hand-written as
-(y*log(sigmoid(z)) + (1-y)*log(1-sigmoid(z))). Early on everything is fine; once
the model becomes confident, sigmoid(z) rounds to exactly 1.0 in float32 for some
positive example, log(1-p) = -inf, and 0 * -inf = NaN poisons the loss, the
gradients and then all weights. Control: the numerically stable BCEWithLogitsLoss."""
import os, sys, csv, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(2); np.random.seed(2); random.seed(2)
torch.set_num_threads(1)

X, y = make_classification(n_samples=2000, n_features=20, n_informative=8, n_redundant=4,
                           class_sep=1.0, flip_y=0.0, random_state=2)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=2)
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=5e-4)

def loss_fn(z, t):
    if CONTROL:
        return nn.functional.binary_cross_entropy_with_logits(z, t)
    p = torch.sigmoid(z)
    return -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean()

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "epoch", "loss", "val_loss", "val_acc", "lr"])
fmt = lambda v: f"{v:.6g}"

def evaluate():
    model.eval()
    with torch.no_grad():
        z = model(Xva).squeeze(1)
        return loss_fn(z, yva).item(), ((z > 0).float() == yva).float().mean().item()

EPOCHS, BS = 30, 64
n = len(Xtr); step = 0; first_nan = None
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(n)
    for i in range(0, n, BS):
        idx = perm[i:i + BS]
        z = model(Xtr[idx]).squeeze(1)
        loss = loss_fn(z, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if first_nan is None and not math.isfinite(loss.item()):
            first_nan = step
            print(f"first non-finite loss at step {step} (epoch {ep}); max |logit| in batch {z.abs().max().item():.1f}")
        w.writerow([step, ep, fmt(loss.item()), "", "", 5e-4])
    vl, va = evaluate()
    w.writerow([step, ep, fmt(loss.item()), fmt(vl), f"{va:.4f}", 5e-4])
    print(f"epoch {ep:2d} step {step} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
vl, va = evaluate()
nan_w = sum(int(torch.isnan(p).any()) for p in model.parameters())
print(f"parameter tensors containing NaN: {nan_w}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl if math.isfinite(vl) else None, "val_acc": round(va, 4),
                                     "chance_acc": 0.5, "first_nan_step": first_nan}))
