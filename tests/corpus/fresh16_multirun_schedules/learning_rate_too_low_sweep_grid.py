# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control grid [0.01,0.03,0.1] keeps lr 0.1: train_loss 0.033, val_loss 0.107, val_acc 0.953; planted grid keeps lr 1e-4: train_loss creeps 0.6820 -> 0.6676 in 625 steps (steady, nearly linear), val_loss 0.670, val_acc 0.556 (majority class 0.626)
# control: --control
# native-log: sweep_best.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
"""Three-point lr sweep (plain SGD, no momentum) on breast-cancer classification, runs one
after another, the best run by val loss is kept and its history written to sweep_best.csv.
The planted bug: the grid was shifted three decades too low ([1e-5, 3e-5, 1e-4] instead
of [0.01, 0.03, 0.1]), so even the best kept run barely moves.
--control uses the intended grid [0.01, 0.03, 0.1]."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
GRID = [0.01, 0.03, 0.1] if CONTROL else [1e-5, 3e-5, 1e-4]
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
lossf = nn.BCEWithLogitsLoss()


def run(lr, epochs=25, bs=16):
    torch.manual_seed(0); np.random.seed(0); random.seed(0)
    model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    hist, step = [], 0
    for ep in range(epochs):
        perm = torch.randperm(len(Xtr)); tot = 0.0
        for i in range(0, len(Xtr), bs):
            idx = perm[i:i + bs]
            loss = lossf(model(Xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
        with torch.no_grad():
            out = model(Xva).squeeze(1)
            vl = lossf(out, yva).item(); va = ((out > 0).float() == yva).float().mean().item()
        hist.append(dict(epoch=ep, step=step, lr=lr, train_loss=tot / len(Xtr), val_loss=vl, val_acc=va))
    print(f"[sweep] lr={lr:g}: first train_loss {hist[0]['train_loss']:.4f} last {hist[-1]['train_loss']:.4f} "
          f"val_loss {vl:.4f} val_acc {va:.3f}")
    return hist


runs = {lr: run(lr) for lr in GRID}
best = min(runs, key=lambda k: runs[k][-1]["val_loss"])
hist = runs[best]
print(f"best lr {best:g}")
with open(os.path.join(LOG_DIR, "sweep_best.csv"), "w") as f:
    f.write("epoch,step,lr,train_loss,val_loss,val_acc\n")
    for h in hist:
        f.write(f"{h['epoch']},{h['step']},{h['lr']},{h['train_loss']:.6f},{h['val_loss']:.6f},{h['val_acc']:.4f}\n")
        print(f"kept run epoch {h['epoch']} step {h['step']} train_loss {h['train_loss']:.4f} val_loss {h['val_loss']:.4f} val_acc {h['val_acc']:.3f}")
last = hist[-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(last["val_loss"], 4), "val_acc": round(last["val_acc"], 4),
                                     "train_loss": round(last["train_loss"], 4), "chance_acc": round(float(yva.mean()), 3), "kept_lr": best}))
