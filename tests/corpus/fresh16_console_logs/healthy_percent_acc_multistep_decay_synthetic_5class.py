"""5-class synthetic tabular MLP, SGD momentum with MultiStepLR decay; console prints percent accuracies.

Lines look like "Epoch [ 7/18]  train loss 0.4123  acc 87.5%  |  val loss 0.3901  acc 88.1%  lr 0.1000".
The lr is divided by 10 at epochs 8 and 14; each decay gives a step down in loss.  Healthy.
"""
# expect:
# allow:
# forbid: *
# evidence: val acc 94.8% (chance 20%), train acc 98.7%; lr 0.1 -> 0.01 (ep 9) -> 0.001 (ep 15); val loss steps down 0.177 -> 0.151 at the first decay and stays 0.15-0.16 afterwards
# native-log: stdout.txt
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="pct_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "stdout.txt"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = make_classification(n_samples=3000, n_features=24, n_informative=8, n_redundant=4, n_classes=5,
                           n_clusters_per_class=2, class_sep=2.5, flip_y=0.01, random_state=11)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
Xtr, Xva, ytr, yva = map(torch.tensor, train_test_split(X, y, test_size=0.2, random_state=0, stratify=y))
model = nn.Sequential(nn.Linear(24, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 5))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 14], gamma=0.1)
BS, EPOCHS = 64, 18
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tl = tc = 0
    lr_now = opt.param_groups[0]["lr"]
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        o = model(Xtr[idx]); loss = F.cross_entropy(o, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (o.argmax(1) == ytr[idx]).sum().item()
    sched.step()
    model.eval()
    with torch.no_grad():
        vo = model(Xva); vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
    echo(f"Epoch [{ep:2d}/{EPOCHS}]  train loss {tl / len(Xtr):.4f}  acc {100 * tc / len(Xtr):.1f}%  |  val loss {vl:.4f}  acc {100 * va:.1f}%  lr {lr_now:.4f}")
echo(f"Final val acc: {100 * va:.2f}%")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / len(Xtr), 4), "chance_acc": 0.2}))
