# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization
# forbid: *
# evidence: probe: fraction of ReLU units that never fire on the training set per layer, planted (bias -5) [0.15, 0.72, 1.00] at start and end vs control (bias 0) [0.0, 0.008, 0.016]; planted val_acc 0.100, val_loss 2.304 vs control val_acc 0.964, val_loss 0.153
# control: --control
# native-log: run.csv
# log-expect:
# log-allow: non_convergence, high_bias
"""ReLU MLP assembled as nested nn.Sequential blocks in a loop. To get "sparse representations"
the author set every hidden bias to -5 with nn.init.constant_; with standardised inputs the
pre-activations (std ~1) never reach +5, so almost every ReLU unit outputs 0 for every input.
--control: bias init 0 (the only change)."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=8, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
widths = [64, 128, 128, 64]
body = nn.Sequential()
for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
    lin = nn.Linear(a, b)
    nn.init.kaiming_uniform_(lin.weight, nonlinearity="relu")
    nn.init.constant_(lin.bias, 0.0 if CONTROL else -5.0)
    body.add_module(f"block{i}", nn.Sequential(lin, nn.ReLU()))
model = nn.Sequential(body, nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
def dead_frac(x):
    fr = []; h = x
    for blk in body:
        h = blk(h); fr.append(round(((h > 0).sum(0) == 0).float().mean().item(), 3))
    return fr
with torch.no_grad(): print("initial never-firing fraction per layer:", dead_frac(Xtr))
f = open(os.path.join(LOG_DIR, "run.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
for ep in range(8):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    wr.writerow([ep, round(tot / len(Xtr), 5), round(vl, 5), round(va, 4)])
    print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
with torch.no_grad(): df = dead_frac(Xtr)
print("final never-firing fraction per layer (train set):", df)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1, "dead_frac": df}))
