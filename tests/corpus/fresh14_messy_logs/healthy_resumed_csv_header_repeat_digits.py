"""MLP on sklearn digits. The job is 'preempted' after epoch 7 (0-based), restarted from the
checkpoint saved after epoch 4 and appends to the same metrics.csv: the header is written again
and epochs 5-7 appear twice (the resumed run re-does them), as happens with naive resume code."""
# expect:
# allow:
# forbid: *
# evidence: healthy MLP on digits (Adam 1e-3, 20 epochs, resumed from the epoch-4 checkpoint after epoch 7): val_acc 0.976, val_loss 0.089, train_loss 0.017 (chance 0.10)
# native-log: metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
ckdir = tempfile.mkdtemp()
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

def make():
    return nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))

def evaluate(model):
    model.eval()
    with torch.no_grad():
        out = model(Xva); l = nn.functional.cross_entropy(out, yva).item(); a = (out.argmax(1) == yva).float().mean().item()
    model.train(); return l, a

def run(start_epoch, stop_epoch, model, opt, path):
    f = open(path, "a", newline=""); w = csv.writer(f)
    w.writerow(["epoch", "step", "train_loss", "val_loss", "val_acc", "lr"])  # naive: always writes a header
    step = start_epoch * ((len(Xtr) + 31) // 32)
    for ep in range(start_epoch, stop_epoch):
        perm = torch.randperm(len(Xtr)); tot = 0; n = 0
        for i in range(0, len(Xtr), 32):
            idx = perm[i:i + 32]
            loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            tot += loss.item() * len(idx); n += len(idx)
        vl, va = evaluate(model)
        w.writerow([ep, step, f"{tot/n:.5f}", f"{vl:.5f}", f"{va:.4f}", opt.param_groups[0]["lr"]])
        f.flush()
        if ep == 4:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": ep}, os.path.join(ckdir, "ck.pt"))
    f.close(); return tot / n

path = os.path.join(logdir, "metrics.csv")
model = make(); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
run(0, 8, model, opt, path)  # "preempted" after epoch 7
ck = torch.load(os.path.join(ckdir, "ck.pt"))
model = make(); opt = torch.optim.Adam(model.parameters(), lr=1e-3)
model.load_state_dict(ck["model"]); opt.load_state_dict(ck["opt"])
torch.manual_seed(1)
tl = run(ck["epoch"] + 1, 20, model, opt, path)
vl, va = evaluate(model)
print(f"final val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
