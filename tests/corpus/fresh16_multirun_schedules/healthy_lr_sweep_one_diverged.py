# expect:
# allow:
# forbid: *
# evidence: sweep run lr=5.0 blows up (first-epoch loss 31.2, then stuck at val_acc 0.098), lr=0.002 ends at val_acc 0.900; the kept run lr=0.05 reaches val_acc 0.969, val_loss 0.095 (chance 0.10)
# native-log: best_run.csv
# log-expect:
# log-allow:
"""Small lr sweep in one process: three SGD learning rates on digits, one after another.
lr=5.0 blows up, lr=0.002 is slow; the script keeps the run with the best val accuracy
(lr=0.05) and writes that run's history to best_run.csv. The label is about the kept run."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)


def run(lr, seed=0, epochs=10, bs=64):
    torch.manual_seed(seed); np.random.seed(seed); random.seed(seed)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    lossf = nn.CrossEntropyLoss()
    hist, step = [], 0
    for ep in range(epochs):
        perm = torch.randperm(len(Xtr))
        tot, n = 0.0, 0
        for i in range(0, len(Xtr), bs):
            idx = perm[i:i + bs]
            loss = lossf(model(Xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            tot += loss.item() * len(idx); n += len(idx)
        with torch.no_grad():
            out = model(Xva)
            vl = lossf(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        tl = tot / n
        hist.append(dict(epoch=ep, step=step, lr=lr, train_loss=tl, val_loss=vl, val_acc=va))
        print(f"[lr={lr}] epoch {ep} step {step} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
        if not math.isfinite(tl):
            print(f"[lr={lr}] diverged, abandoning run")
            break
    return model, hist


results = {}
for lr in [5.0, 0.05, 0.002]:
    model, hist = run(lr)
    last = hist[-1]
    score = last["val_acc"] if math.isfinite(last["val_loss"]) else -1.0
    results[lr] = (score, model, hist)
    print(f"sweep lr={lr}: final val_acc={last['val_acc']:.3f}")

best_lr = max(results, key=lambda k: results[k][0])
score, model, hist = results[best_lr]
print(f"keeping lr={best_lr} (val_acc {score:.3f})")
with open(os.path.join(LOG_DIR, "best_run.csv"), "w") as f:
    f.write("epoch,step,lr,train_loss,val_loss,val_acc\n")
    for h in hist:
        f.write(f"{h['epoch']},{h['step']},{h['lr']},{h['train_loss']:.6f},{h['val_loss']:.6f},{h['val_acc']:.4f}\n")
last = hist[-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(last["val_loss"], 4), "val_acc": round(last["val_acc"], 4),
                                     "train_loss": round(last["train_loss"], 4), "chance_acc": 0.1, "kept_lr": best_lr}))
