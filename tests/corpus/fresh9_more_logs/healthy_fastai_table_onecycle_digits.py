# expect:
# allow:
# forbid: *
# evidence: one-cycle MLP on sklearn digits, 24 epochs: train_loss 0.0033, val_loss 0.102, val_acc 0.978 (chance 0.10)
# native-log: fastai_progress.txt
# log-expect:
# log-allow:
"""fastai-style Learner.fit_one_cycle imitation: prints the usual progress table
(epoch  train_loss  valid_loss  accuracy  time) and keeps a copy of it on disk."""
import json, os, tempfile, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
perm = np.random.permutation(len(X))
X, y = X[perm], y[perm]
n_val = 360
x_tr, y_tr = torch.tensor(X[n_val:]), torch.tensor(y[n_val:])
x_va, y_va = torch.tensor(X[:n_val]), torch.tensor(y[:n_val])

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
EPOCHS, BS, LR_MAX = 24, 32, 3e-3
steps_per_epoch = (len(x_tr) + BS - 1) // BS
opt = torch.optim.AdamW(model.parameters(), lr=LR_MAX, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR_MAX, total_steps=EPOCHS * steps_per_epoch, pct_start=0.25)

lines = []
def emit(s):
    print(s)
    lines.append(s)

emit(f"{'epoch':<10}{'train_loss':<12}{'valid_loss':<12}{'accuracy':<10}{'time':<8}")
for epoch in range(EPOCHS):
    t0 = time.time()
    model.train()
    idx = torch.randperm(len(x_tr))
    smooth, n = 0.0, 0
    for i in range(0, len(idx), BS):
        b = idx[i:i + BS]
        loss = F.cross_entropy(model(x_tr[b]), y_tr[b])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        # fastai reports an exponentially smoothed train loss (beta=0.98, debiased)
        n += 1
        smooth = 0.98 * smooth + 0.02 * loss.item()
        train_loss = smooth / (1 - 0.98 ** n)
    model.eval()
    with torch.no_grad():
        out = model(x_va)
        vl = F.cross_entropy(out, y_va).item()
        acc = (out.argmax(1) == y_va).float().mean().item()
    el = int(time.time() - t0)
    emit(f"{epoch:<10}{train_loss:<12.6f}{vl:<12.6f}{acc:<10.6f}{'%02d:%02d' % (el // 60, el % 60):<8}")

with open(os.path.join(LOG_DIR, "fastai_progress.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")

with torch.no_grad():
    full_train = F.cross_entropy(model(x_tr), y_tr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4),
                                     "train_loss": round(full_train, 4), "chance_acc": 0.1}))
