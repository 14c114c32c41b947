"""SGD+momentum on a digits CNN with a hand-written LambdaLR formula 0.8**t meant per *epoch*,
but scheduler.step() is called inside the batch loop, so the lr is ~0 after a few dozen steps
(0.8**50 ~ 1e-5). --control steps the scheduler once per epoch as intended.
Logs epoch rows with lr to a CSV."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (LambdaLR 0.8**epoch stepped per epoch) val_acc 0.952, val_loss 0.177, train_loss 0.105; planted (stepped per batch) lr 0.02 -> 2.7e-6 after epoch 0 -> 5e-45, loss frozen at 2.294, val_acc 0.096 (chance 0.10)
# control: --control
# native-log: lambdalr_log.csv
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import os, sys, json, random, tempfile, csv
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = X / 16.0 - 0.5
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(24 * 16, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda t: 0.8 ** t)
f = open(os.path.join(LOG_DIR, "lambdalr_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "lr", "train_loss", "val_loss", "val_acc"])
for epoch in range(12):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    lr_epoch = opt.param_groups[0]["lr"]
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        if not CONTROL:
            sched.step()          # bug: per-batch stepping of a per-epoch formula
        tot += loss.item() * len(idx)
    if CONTROL:
        sched.step()
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, f"{lr_epoch:.3g}", f"{tr:.5f}", f"{vl:.5f}", f"{va:.4f}"]); f.flush()
    print(f"epoch {epoch:2d} lr {lr_epoch:.3g} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": 0.1}))
