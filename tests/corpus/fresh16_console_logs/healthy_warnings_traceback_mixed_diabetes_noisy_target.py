"""Diabetes regression MLP whose captured console also contains warnings and a caught traceback.

Besides "step 40 | mse 0.61 | val_mse 0.55 | lr 3.0e-03" lines (targets standardised), the
console contains a UserWarning from the data loader, a DeprecationWarning, and a full stack trace
from a checkpoint upload that failed once and was retried.  The target is intrinsically noisy:
even a well-fit model explains only about half the variance (R^2 ~0.45, on par with
sklearn's RidgeCV printed at the end), so a val_mse near 0.5 of the target variance is the
best achievable here, not underfitting.  Healthy.
"""
# expect:
# allow:
# forbid: *
# evidence: val_mse 0.445 vs val target var 0.805 (R^2 0.45), equal to the RidgeCV reference on the same split (0.450): the noise ceiling of this dataset; train mse 0.380 close to val; val_mse 0.46 already at step 40 and flat at its best afterwards
# native-log: console.log
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, traceback, warnings
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_diabetes
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="warn_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "console.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


def _showwarning(message, category, filename, lineno, file=None, line=None):
    echo(warnings.formatwarning(message, category, filename, lineno, line).rstrip("\n"))


warnings.showwarning = _showwarning

X, y = load_diabetes(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1)
mu, sd = Xtr.mean(0), Xtr.std(0); ym, ys = ytr.mean(), ytr.std()
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
ytr, yva = (ytr - ym) / ys, (yva - ym) / ys
warnings.warn("num_workers=4 requested but only 1 CPU available; falling back to num_workers=0", UserWarning)
ridge = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(Xtr, ytr)
ridge_mse = float(((ridge.predict(Xva) - yva) ** 2).mean())
Xtr, Xva, ytr, yva = (torch.tensor(a, dtype=torch.float32) for a in (Xtr, Xva, ytr, yva))
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-3)
warnings.warn("torch.optim.lr_scheduler: `verbose` is deprecated and will be removed", DeprecationWarning)
BS, EPOCHS, step = 16, 20, 0


def upload_checkpoint(ep):
    if ep == 12:
        raise ConnectionError("HTTPSConnectionPool(host='artifacts.internal', port=443): Read timed out. (read timeout=10)")


for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.mse_loss(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 40 == 0:
            model.eval()
            with torch.no_grad():
                vm = F.mse_loss(model(Xva).squeeze(1), yva).item()
            model.train()
            echo(f"step {step} | mse {loss.item():.4f} | val_mse {vm:.4f} | lr {opt.param_groups[0]['lr']:.1e}")
    if ep % 6 == 0:
        try:
            upload_checkpoint(ep)
            echo(f"saved checkpoint epoch_{ep}.pt")
        except ConnectionError:
            echo("Exception in checkpoint upload, will retry next time:")
            echo(traceback.format_exc().rstrip("\n"))
model.eval()
with torch.no_grad():
    vm = F.mse_loss(model(Xva).squeeze(1), yva).item(); tm = F.mse_loss(model(Xtr).squeeze(1), ytr).item()
echo(f"final: train_mse {tm:.4f} val_mse {vm:.4f} (target var {yva.var().item():.3f}) | RidgeCV reference val_mse {ridge_mse:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(yva.var().item(), 4),
                                     "ridge_val_mse": round(ridge_mse, 4)}))
