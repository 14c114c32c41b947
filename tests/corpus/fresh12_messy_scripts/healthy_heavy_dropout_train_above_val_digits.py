# expect:
# allow:
# forbid: *
# evidence: dropout 0.2/0.6/0.6: train loss (with dropout) 0.315 stays above val loss 0.092 the whole run; val_acc 0.978 (chance 0.10)
# native-log: dropout_run.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "dropout_run.csv")
os.makedirs(os.path.dirname(LOG), exist_ok=True)

X, y = load_digits(return_X_y=True)
X = X.astype(np.float32) / 8.0 - 1.0
rng = np.random.default_rng(0); p = rng.permutation(len(X))
Xtr, ytr = torch.from_numpy(X[p[:1300]]), torch.from_numpy(y[p[:1300]])
Xva, yva = torch.from_numpy(X[p[1300:]]), torch.from_numpy(y[p[1300:]])

net = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.6),
                    nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.6), nn.Linear(256, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
with open(LOG, "w") as fh:
    fh.write("epoch,train_loss,val_loss,val_acc\n")
    for ep in range(20):
        net.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
        for i in range(0, len(Xtr), 64):
            b = perm[i:i+64]
            loss = F.cross_entropy(net(Xtr[b]), ytr[b]); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(b)
        net.eval()
        with torch.no_grad():
            o = net(Xva).detach().cpu().numpy()
        pr = np.exp(o - o.max(1, keepdims=True)); pr /= pr.sum(1, keepdims=True)
        vl = float(-np.log(pr[np.arange(len(yva)), yva.numpy()] + 1e-12).mean()); acc = float((o.argmax(1) == yva.numpy()).mean())
        fh.write(f"{ep},{tot/len(Xtr):.5f},{vl:.5f},{acc:.4f}\n")
        print(f"ep {ep:2d} | tr {tot/len(Xtr):.3f} | va {vl:.3f} | acc {acc:.1%}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": tot / len(Xtr), "chance_acc": 0.1}))
