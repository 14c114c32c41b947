"""Digits CNN trained by iterations with SGDR (CosineAnnealingWarmRestarts); detectron2-style console.

Lines look like "[12/02 02:10:03 d2.utils.events]:  eta: 0:00:04  iter: 199  total_loss: 0.81
loss_cls: 0.79  loss_reg: 0.02  time: 0.0051  data_time: 0.0002  lr: 0.0025  max_mem: 0M",
with an evaluation block every 100 iterations.  At each warm restart (iter 100, 200, 300, 400) the lr jumps
back up and the loss bumps briefly: expected with SGDR, not divergence.  Healthy.
"""
# expect:
# allow:
# forbid: *
# evidence: final eval Accuracy 99.1 (chance 10), val_loss 0.047; total_loss 2.35 -> 0.036; after the lr restarts (lr back to 0.05 every 100 iters) the loss bumps (0.091 -> 0.117 at iter 219, 0.046 -> 0.079 at iter 359, 0.049 -> 0.070 at iter 419) and recovers
# native-log: log.txt
# log-expect:
# log-allow:
import os, json, random, tempfile, time, datetime
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="d2_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "log.txt"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


def ts(name):
    return f"[{datetime.datetime.now().strftime('%m/%d %H:%M:%S')} {name}]:"


X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32).reshape(-1, 1, 8, 8)
Xtr, Xva, ytr, yva = map(torch.tensor, train_test_split(X, y, test_size=0.25, random_state=3, stratify=y))
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1),
                      nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(128, 10))
BASE_LR, MAX_ITER, PERIOD, EVAL_PERIOD = 0.05, 500, 20, 100
opt = torch.optim.SGD(model.parameters(), lr=BASE_LR, momentum=0.9, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=100, T_mult=1)
echo(f"{ts('d2.engine.train_loop')} Starting training from iteration 0")
t_start = time.time(); hist = []
g = torch.Generator().manual_seed(0)
for it in range(MAX_ITER):
    t0 = time.time()
    idx = torch.randint(0, len(Xtr), (32,), generator=g)
    d_t = time.time() - t0
    model.train()
    out = model(Xtr[idx]); loss_cls = F.cross_entropy(out, ytr[idx])
    loss_reg = 1e-4 * sum((p ** 2).sum() for p in model.parameters())
    loss = loss_cls + loss_reg
    opt.zero_grad(); loss.backward(); opt.step()
    lr_now = opt.param_groups[0]["lr"]; sched.step()
    hist.append((loss.item(), loss_cls.item(), loss_reg.item(), time.time() - t0))
    if (it + 1) % PERIOD == 0 or it == 0:
        w = hist[-PERIOD:]
        med = lambda k: float(np.median([h[k] for h in w]))
        eta = datetime.timedelta(seconds=int(med(3) * (MAX_ITER - it - 1)))
        echo(f"{ts('d2.utils.events')}  eta: {eta}  iter: {it}  total_loss: {med(0):.3f}  loss_cls: {med(1):.3f}  loss_reg: {med(2):.4f}"
             f"  time: {med(3):.4f}  data_time: {d_t:.4f}  lr: {lr_now:.5g}  max_mem: 0M")
    if (it + 1) % EVAL_PERIOD == 0:
        model.eval()
        with torch.no_grad():
            vo = model(Xva); vl = F.cross_entropy(vo, yva).item(); acc = 100.0 * (vo.argmax(1) == yva).float().mean().item()
        echo(f"{ts('d2.evaluation.evaluator')} Start inference on {(len(Xva) + 31) // 32} batches")
        echo(f"{ts('d2.engine.defaults')} Evaluation results for digits_val in csv format:")
        echo(f"{ts('d2.evaluation.testing')} copypaste: Task: classification")
        echo(f"{ts('d2.evaluation.testing')} copypaste: Accuracy,val_loss")
        echo(f"{ts('d2.evaluation.testing')} copypaste: {acc:.4f},{vl:.4f}")
echo(f"{ts('d2.engine.hooks')} Overall training speed: {MAX_ITER} iterations in {datetime.timedelta(seconds=int(time.time() - t_start))}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc / 100, 4), "chance_acc": 0.1}))
