"""3-class synthetic tabular MLP trained with label smoothing 0.15; tqdm-style console lines.

The captured console keeps, for each epoch, the final state of the tqdm bar with its postfix
(`loss=..., acc=...`) followed by a validation line.  Label smoothing keeps the train loss
floored around 0.5 even though accuracy is high: a healthy look-alike of a plateau.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.958 (chance 0.33), train acc 0.97; smoothed train loss floors at 0.46 and smoothed val loss at 0.49 because of label_smoothing=0.15 (entropy floor of the smoothed targets 0.39); plain val CE 0.236
# native-log: console.txt
# log-expect:
# log-allow:
import os, json, random, tempfile, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tqdm_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "console.txt"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = make_classification(n_samples=4000, n_features=20, n_informative=10, n_redundant=4, n_classes=3,
                           n_clusters_per_class=2, class_sep=1.5, flip_y=0.02, random_state=3)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = (torch.tensor(sc.transform(a), dtype=torch.float32) for a in (Xtr, Xva))
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
EPOCHS, BS = 12, 50
n_it = (len(Xtr) + BS - 1) // BS


def bar(frac, w=10):
    k = int(round(frac * w)); return "█" * k + " " * (w - k)


for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); t0 = time.time(); tl = tc = n = 0
    for i in range(n_it):
        idx = perm[i * BS:(i + 1) * BS]
        o = model(Xtr[idx]); loss = F.cross_entropy(o, ytr[idx], label_smoothing=0.15)
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (o.argmax(1) == ytr[idx]).sum().item(); n += len(idx)
    dt = time.time() - t0
    echo(f"epoch {ep}: 100%|{bar(1.0)}| {n_it}/{n_it} [00:{int(dt):02d}<00:00, {n_it / dt:.1f}it/s, loss={tl / n:.3f}, acc={tc / n:.2f}]")
    model.eval()
    with torch.no_grad():
        vo = model(Xva); vl = F.cross_entropy(vo, yva, label_smoothing=0.15).item(); va = (vo.argmax(1) == yva).float().mean().item()
        vce = F.cross_entropy(vo, yva).item()
    echo(f"val: loss={vl:.3f}, acc={va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss_smoothed": round(vl, 4), "val_ce": round(vce, 4), "val_acc": round(va, 4),
                                     "train_loss_smoothed": round(tl / n, 4), "chance_acc": 0.333}))
