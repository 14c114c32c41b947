"""Digits MLP trained with RMSprop, but with lr=0.1 copied from an SGD recipe. RMSprop normalises
the gradient, so each step moves every weight by ~lr -- far too large. --control uses lr=1e-3.
Writes a CSV log (step-level loss + lr, epoch-level val)."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, high_bias
# forbid: *
# evidence: control (RMSprop lr=1e-3) val_acc 0.976, val_loss 0.080, train_loss 0.003; planted (lr=0.1) epoch-0 train loss 1423, val_loss oscillates 8.0 -> 3.1 -> 17.1 -> 3.3 -> 5.6, final val_acc 0.706, train_loss 1.61; 37% of layer-2 ReLUs dead (control 1%)
# control: --control
# native-log: rmsprop_log.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, high_bias
import os, sys, json, random, tempfile, csv
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
LR = 1e-3 if CONTROL else 0.1
opt = torch.optim.RMSprop(model.parameters(), lr=LR, alpha=0.99)
f = open(os.path.join(LOG_DIR, "rmsprop_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "epoch", "lr", "train_loss", "val_loss", "val_acc"])
step = 0
for epoch in range(12):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        if step % 5 == 0:
            w.writerow([step, epoch, LR, f"{loss.item():.5g}", "", ""])
        step += 1; tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([step, epoch, LR, f"{tr:.5g}", f"{vl:.5g}", f"{va:.4f}"]); f.flush()
    print(f"epoch {epoch:2d} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
with torch.no_grad():
    h = F.relu(model[0](Xtr)); dead = ((F.relu(model[2](h)) > 0).sum(0) == 0).float().mean().item()
print(f"probe: fraction of layer-2 ReLU units never active on train = {dead:.2f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": 0.1}))
