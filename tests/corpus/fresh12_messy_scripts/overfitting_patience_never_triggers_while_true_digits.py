# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: 80 training images, 128-wide MLP, early stopping broken (counter reset by a 'tolerance' hack) and last weights kept: val loss bottoms at 0.465 (it 110) then rises steadily to 0.597 at it 1500 while train loss falls 0.011 -> 0.00007 (val_acc 0.896); control (working patience) stops at it 160 with val_loss 0.492, val_acc 0.880 -- the planted run is worse in val loss (the overfitting signal), not in accuracy
# control: --control
# native-log: train_log.csv
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
CONTROL = "--control" in sys.argv

X, y = load_digits(return_X_y=True)
X = X.astype(np.float32) / 16.0
p = np.random.permutation(len(X))
tr, va = p[:80], p[1000:1500]      # only 80 labelled rows for now
xtr, ytr = torch.tensor(X[tr]), torch.tensor(y[tr])
xva, yva = torch.tensor(X[va]), torch.tensor(y[va])

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
eval_every, patience, max_it = 10, 5, 1500
best, best_state, bad = 1e9, None, 0
it = 0
logf = open(os.path.join(logdir, "train_log.csv"), "w")
logf.write("iter,train_loss,val_loss,val_acc\n")
while True:
    idx = torch.randint(0, len(xtr), (32,))
    loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
    opt.zero_grad(); loss.backward(); opt.step()
    it += 1
    if it % eval_every == 0:
        with torch.no_grad():
            tl = F.cross_entropy(model(xtr), ytr).item()
            o = model(xva); vl = F.cross_entropy(o, yva).item(); acc = (o.argmax(1) == yva).float().mean().item()
        logf.write(f"{it},{tl:.5f},{vl:.5f},{acc:.4f}\n")
        if it % 100 == 0:
            print(f"it {it:4d}  tr {tl:.4f}  va {vl:.4f}  acc {acc:.3f}  best {best:.4f}")
        if vl < best:
            best, bad = vl, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if CONTROL:
                if bad >= patience:
                    print(f"early stop at it {it}")
                    break
            else:
                bad = 0 if vl < best * 1.5 else bad   # "tolerance" hack that resets the counter every time
                if bad >= patience:
                    break
    if it >= max_it:
        break
logf.close()
# last weights are used (the restore line got commented out)
# model.load_state_dict(best_state)
with torch.no_grad():
    o = model(xva); vl = F.cross_entropy(o, yva).item(); acc = (o.argmax(1) == yva).float().mean().item()
    tl = F.cross_entropy(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": tl, "best_val_loss": best, "iters": it, "chance_acc": 0.1}))
