# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units
# forbid: *
# evidence: restart at epoch 15 (step 331) uses peak lr 1.5 instead of 0.03; val_loss 0.098 / val_acc 0.978 at ep 14 -> 2.94 / 0.10 at ep 15, ends val_loss 2.30 val_acc 0.10 (chance 0.10); control (peak 0.03) ends val_loss 0.100 val_acc 0.978
# control: --control
# native-log: warm_restart_metrics.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite
"""Digits MLP, SGD+momentum with a hand-written cosine-with-restarts schedule.
Cycle 1 (epochs 0-14) peaks at 0.05; the restart at epoch 15 uses a peak lr
taken from the wrong config entry (1.5 instead of 0.03), so training that was
healthy for 15 epochs blows up right after the restart."""
import os, sys, csv, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()

CYCLE = 15
PEAKS = [0.05, 0.03 if CONTROL else 1.5]   # bug: second cycle's peak is 50x what was meant
EPOCHS = 30
BS = 64
n = len(Xtr); steps_per_epoch = math.ceil(n / BS)

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "warm_restart_metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "epoch", "loss", "val_loss", "val_acc", "lr"])

def evaluate():
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        return loss_fn(out, yva).item(), (out.argmax(1) == yva).float().mean().item()

step = 0
hist = []
for ep in range(EPOCHS):
    model.train()
    perm = torch.randperm(n)
    cyc, t0 = divmod(ep, CYCLE)
    for i in range(steps_per_epoch):
        t = (t0 * steps_per_epoch + i) / (CYCLE * steps_per_epoch)
        lr = PEAKS[cyc] * 0.5 * (1 + math.cos(math.pi * t))
        for g in opt.param_groups: g["lr"] = lr
        idx = perm[i * BS:(i + 1) * BS]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        step += 1
        if i < steps_per_epoch - 1:
            w.writerow([step, ep, f"{loss.item():.6g}", "", "", f"{lr:.6g}"])
    vl, va = evaluate()
    w.writerow([step, ep, f"{loss.item():.6g}", f"{vl:.6g}", f"{va:.4f}", f"{lr:.6g}"])
    hist.append((ep, loss.item(), vl, va))
    print(f"epoch {ep:2d} lr {lr:.4f} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
with torch.no_grad():
    tl = loss_fn(model(Xtr), ytr).item()
vl, va = evaluate()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl if math.isfinite(vl) else None, "val_acc": round(va, 4),
                                     "train_loss": tl if math.isfinite(tl) else None, "chance_acc": 0.1,
                                     "val_loss_ep14": round(hist[14][2], 4), "val_acc_ep14": round(hist[14][3], 4)}))
