"""Wine, 5-fold StratifiedKFold loop written the common way: a new model per fold, the
variable `model` simply keeps the LAST fold's model, which is then reported on its own
held-out fold. Every fold is a fine training. JSON-lines log of the last fold's epochs in
$CORPUS_LOG_DIR/fold_log.jsonl (earlier folds are printed only)."""
# expect:
# allow:
# forbid: *
# evidence: fold accuracies [1.00, 0.97, 0.97, 0.97, 1.00], mean 0.983; reported last fold val_acc 1.00, val_loss 0.02 (chance 0.33)
# native-log: fold_log.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import StratifiedKFold

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)

X, y = load_wine(return_X_y=True)
skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
fold_acc = []
for k, (tr, va) in enumerate(skf.split(X, y)):
    mu, sd = X[tr].mean(0), X[tr].std(0)
    Xt = torch.tensor((X[tr] - mu) / sd, dtype=torch.float32); yt = torch.tensor(y[tr])
    Xv = torch.tensor((X[va] - mu) / sd, dtype=torch.float32); yv = torch.tensor(y[va])
    model = nn.Sequential(nn.Linear(13, 32), nn.Tanh(), nn.Linear(32, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    last = (k == 4)
    f = open(os.path.join(log_dir, "fold_log.jsonl"), "w") if last else None
    for ep in range(40):
        model.train(); perm = torch.randperm(len(yt)); tot = 0
        for i in range(0, len(yt), 16):
            b = perm[i:i + 16]
            opt.zero_grad(); loss = F.cross_entropy(model(Xt[b]), yt[b]); loss.backward(); opt.step(); tot += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            out = model(Xv); vl = F.cross_entropy(out, yv).item(); acc = (out.argmax(1) == yv).float().mean().item()
        if last:
            f.write(json.dumps({"fold": k, "epoch": ep, "loss": round(tot / len(yt), 5), "val_loss": round(vl, 5), "val_acc": round(acc, 4)}) + "\n")
    if f: f.close()
    fold_acc.append(acc); print(f"fold {k}: train_loss {tot/len(yt):.4f} val_loss {vl:.4f} val_acc {acc:.4f}")
print("fold accuracies", [round(a, 3) for a in fold_acc], "mean", round(float(np.mean(fold_acc)), 4))
# `model` is the last fold's model
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / len(yt), 4),
      "cv_mean_acc": round(float(np.mean(fold_acc)), 4), "chance_acc": 0.333}))
