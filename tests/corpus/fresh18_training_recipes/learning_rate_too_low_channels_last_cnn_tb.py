# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (SGD lr 3e-5): per-step update/weight ratio ~1e-4, train loss only 1.88 after 12 epochs, val_acc 0.574; control (lr 0.03): val_acc 0.989, val_loss 0.16
# control: --control
# native-log: tb_run
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
"""PLANTED learning_rate_too_low: channels_last CNN on 8x8 digits, SGD momentum 0.9 with
label smoothing 0.1 and a cosine schedule, but the lr is 3e-5 (a fine-tuning value)
instead of 0.03. --control sets lr=0.03 (the only change). TensorBoard event dir."""
import os, sys, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(9); np.random.seed(9); random.seed(9)
LR = 0.03 if "--control" in sys.argv else 3e-5
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
tb = SummaryWriter(os.path.join(log_dir, "tb_run"))
X, y = load_digits(return_X_y=True)
X = X / 8.0 - 1.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=9, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8).contiguous(memory_format=torch.channels_last)
Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8).contiguous(memory_format=torch.channels_last)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(512, 10)).to(memory_format=torch.channels_last)
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
EPOCHS = 12
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
step = 0
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0; upd = []
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = crit(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        before = [p.detach().clone() for p in model.parameters()]
        opt.step(); step += 1; tot += loss.item() * len(idx)
        if step % 10 == 0:
            with torch.no_grad():
                upd.append(np.mean([((p - b).norm() / (b.norm() + 1e-12)).item() for p, b in zip(model.parameters(), before)]))
            tb.add_scalar("train/loss", loss.item(), step)
    tb.add_scalar("train/lr", opt.param_groups[0]["lr"], step); sched.step()
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    tb.add_scalar("val/loss", vl, step); tb.add_scalar("val/acc", va, step)
    print(f"epoch {ep+1} train_loss {tot/len(Xtr):.4f} mean update/weight ratio {np.mean(upd):.2e} val_loss {vl:.4f} val_acc {va:.4f}")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "lr": LR, "chance_acc": 0.1}))
