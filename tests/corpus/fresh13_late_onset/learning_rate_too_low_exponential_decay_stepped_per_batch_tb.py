# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: lr decayed x0.96 per batch (22 batches/epoch): 8e-3 after epoch 0, 2.2e-4 at epoch 4, 1e-6 at epoch 10; progress stops from epoch ~6 at train_loss 1.75 / val_loss 1.78 / val_acc 0.70 (chance 0.10); relative weight change per epoch 1.6e-1 (ep0) -> 2.5e-3 (ep6) -> 1.8e-6 (ep14); control (scheduler stepped per epoch) ends val_loss 0.102 val_acc 0.973
# control: --control
# native-log: tb
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
"""Small CNN on 8x8 digits, SGD momentum 0.05 with ExponentialLR(gamma=0.96) meant
to be stepped once per epoch, but sched.step() sits inside the batch loop. After a few
epochs the lr is ~1e-4 of its start, the loss stops improving at a poor level and
the remaining epochs barely move the weights. Control: sched.step() once per epoch."""
import os, sys, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(7); np.random.seed(7); random.seed(7)
torch.set_num_threads(1)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.96)
loss_fn = nn.CrossEntropyLoss()

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
tb = SummaryWriter(os.path.join(log_dir, "tb"))
EPOCHS, BS = 15, 64
n = len(Xtr); step = 0
w0 = torch.cat([p.detach().flatten() for p in model.parameters()])
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(n); tot = 0.0
    wstart = torch.cat([p.detach().flatten() for p in model.parameters()])
    for i in range(0, n, BS):
        idx = perm[i:i + BS]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tb.add_scalar("train/loss", loss.item(), step)
        tb.add_scalar("train/lr", opt.param_groups[0]["lr"], step)
        tot += loss.item() * len(idx)
        if not CONTROL:
            sched.step()                        # bug: per batch
    if CONTROL:
        sched.step()
    wend = torch.cat([p.detach().flatten() for p in model.parameters()])
    rel = ((wend - wstart).norm() / wend.norm()).item()
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    tb.add_scalar("val/loss", vl, step); tb.add_scalar("val/acc", va, step)
    print(f"epoch {ep:2d} lr {opt.param_groups[0]['lr']:.2e} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f} rel_weight_change {rel:.1e}")
tb.close()
with torch.no_grad():
    tl = loss_fn(model(Xtr), ytr).item(); ta = (model(Xtr).argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.1}))
