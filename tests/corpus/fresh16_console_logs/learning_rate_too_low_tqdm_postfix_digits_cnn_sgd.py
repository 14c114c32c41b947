"""Small CNN on 8x8 digits with plain SGD at lr=3e-4 (a value copied from an Adam recipe).

The console keeps the final tqdm line per epoch with its postfix, then a val line.  The loss
crawls from 2.30 and accuracy barely moves.  --control uses lr=0.05 (SGD momentum 0.9 unchanged).
"""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (SGD lr=3e-4) train loss crawls 2.3047 -> 2.2933 over 12 epochs, val_loss 2.3038 -> 2.2927, val_acc 0.200 (chance 0.10); control (lr=0.05) val_acc 0.989, val_loss 0.049, train loss 0.0005
# control: --control
# native-log: console.txt
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import os, sys, json, random, tempfile, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

LR = 0.05 if "--control" in sys.argv else 3e-4
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tqdm_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "console.txt"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5).astype(np.float32).reshape(-1, 1, 8, 8)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
EPOCHS, BS = 12, 32
n_it = (len(Xtr) + BS - 1) // BS
echo(f"config: optimizer=SGD lr={LR} momentum=0.9 batch_size={BS} epochs={EPOCHS}")
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); t0 = time.time(); tl = tc = n = 0
    for i in range(n_it):
        idx = perm[i * BS:(i + 1) * BS]
        o = model(Xtr[idx]); loss = F.cross_entropy(o, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (o.argmax(1) == ytr[idx]).sum().item(); n += len(idx)
    dt = time.time() - t0
    echo(f"Epoch {ep}/{EPOCHS}: 100%|██████████| {n_it}/{n_it} [00:{int(dt):02d}<00:00, {n_it / dt:.2f}it/s, loss={tl / n:.4f}, acc={tc / n:.3f}]")
    model.eval()
    with torch.no_grad():
        vo = model(Xva); vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
    echo(f"  -> val_loss={vl:.4f} val_acc={va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / n, 4), "chance_acc": 0.1}))
