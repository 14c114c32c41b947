"""A too-small model: logistic regression (no hidden layer) on a 3-class task whose classes are wavy bands.

Console lines use key=value pairs ("step=120 loss=0.98 acc=0.52") and a "[val]" line
interleaved every 100 steps.  The linear model cannot bend its boundaries along the sine waves, so train and
val accuracy both stall far below what the data allow.  --control uses an MLP (2x64 hidden),
same optimiser, same steps.
"""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (linear) train acc 0.673, val acc 0.674, train loss flat at 0.69 from step ~300 (chance 0.33; 2% random labels -> Bayes acc ~0.987); control (MLP 2x64, same steps) train acc 0.950, val acc 0.947, val loss 0.238
# control: --control
# native-log: stdout.log
# log-expect: high_bias
# log-allow: non_convergence
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kv_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "stdout.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


rng = np.random.default_rng(0)


def bands(n):
    X = rng.uniform(-2, 2, (n, 2))
    wave = 1.2 * np.sin(2.5 * X[:, 0])
    y = np.digitize(X[:, 1] - wave, [-0.45, 0.45])  # 3 wavy bands
    flip = rng.random(n) < 0.02
    y[flip] = rng.integers(0, 3, flip.sum())
    return torch.tensor(X / 1.15, dtype=torch.float32), torch.tensor(y)


Xtr, ytr = bands(3000)
Xva, yva = bands(1000)
if CONTROL:
    model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
else:
    model = nn.Linear(2, 3)  # "start simple" baseline that was never replaced
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
echo(f"model={'mlp_2x64' if CONTROL else 'linear'} params={sum(p.numel() for p in model.parameters())} optimizer=adam lr=1e-2 batch=64")
g = torch.Generator().manual_seed(0)
for step in range(1, 1201):
    idx = torch.randint(0, len(Xtr), (64,), generator=g)
    out = model(Xtr[idx]); loss = F.cross_entropy(out, ytr[idx])
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 50 == 0:
        echo(f"step={step} loss={loss.item():.4f} acc={(out.argmax(1) == ytr[idx]).float().mean().item():.3f}")
    if step % 100 == 0:
        with torch.no_grad():
            to = model(Xtr); vo = model(Xva)
            tl, ta = F.cross_entropy(to, ytr).item(), (to.argmax(1) == ytr).float().mean().item()
            vl, va = F.cross_entropy(vo, yva).item(), (vo.argmax(1) == yva).float().mean().item()
        echo(f"[val] step={step} train_loss={tl:.4f} train_acc={ta:.3f} val_loss={vl:.4f} val_acc={va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                                     "chance_acc": 0.333, "bayes_acc_approx": 0.987}))
