# expect:
# allow:
# forbid: *
# evidence: tiny ResNet (2 BasicBlocks, BN) on digits, SGD nesterov 0.1 with iter warmup + epoch cosine, 10 epochs: accuracy/top1 66.0 -> 91.7 (epoch 3), a dip to 85.1 at epoch 4 while lr is still high, then 94.7 -> 97.7 -> 98.2 -> 98.7 -> 98.5 final (chance 10%); train loss (10-iter window) 2.24 -> 0.026; val CE 0.052 at the end
# native-log: 20240611_120000/vis_data/scalars.json
# log-expect:
# log-allow:
"""mmengine/mmpretrain-style run of a tiny ResNet on digits; writes vis_data/scalars.json.

mmengine's LocalVisBackend writes one JSON object per line: training lines every 10 iterations
({"lr", "data_time", "loss", "time", "epoch", "iter", "step"}, window means as the LogProcessor
does, "iter" counting from the start of training) and one validation line per epoch
({"accuracy/top1", "accuracy/top5", "data_time", "time", "step": epoch}, percent).
Schedule: LinearLR warmup over the first 40 iterations (start_factor 0.1) and CosineAnnealingLR
by epoch; random-shift augmentation (pad 1 + crop).
"""
import json
import os
import random
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
SEED = 42
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="mmengine_healthy_")
VIS = os.path.join(LOG_DIR, "20240611_120000", "vis_data")
os.makedirs(VIS, exist_ok=True)
path = os.path.join(VIS, "scalars.json")
open(path, "w").close()

X, y = load_digits(return_X_y=True)
X = X.reshape(-1, 1, 8, 8) / 16.0
X = (X - 0.3) / 0.4
perm = np.random.RandomState(7).permutation(len(X))
X, y = X[perm], y[perm]
Xtr, ytr = torch.tensor(X[:1400], dtype=torch.float32), torch.tensor(y[:1400])
Xva, yva = torch.tensor(X[1400:], dtype=torch.float32), torch.tensor(y[1400:])


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.down = None
        if stride != 1 or c_in != c_out:
            self.down = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + idt)


class TinyResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = BasicBlock(16, 16, 1)
        self.layer2 = BasicBlock(16, 32, 2)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.head(x.mean((2, 3)))


def random_shift(x):
    padded = F.pad(x, (1, 1, 1, 1))
    out = torch.empty_like(x)
    offs = torch.randint(0, 3, (len(x), 2))
    for i, (dy, dx) in enumerate(offs.tolist()):
        out[i] = padded[i, :, dy:dy + 8, dx:dx + 8]
    return out


model = TinyResNet()
BASE_LR, EPOCHS, BS, WARM_ITERS, INTERVAL = 0.1, 10, 32, 40, 10
opt = torch.optim.SGD(model.parameters(), lr=BASE_LR, momentum=0.9, weight_decay=5e-4, nesterov=True)
iters_per_epoch = (len(Xtr) + BS - 1) // BS
global_iter = 0
for epoch in range(1, EPOCHS + 1):
    model.train()
    cos = 0.5 * (1 + np.cos(np.pi * (epoch - 1) / EPOCHS))
    idx = torch.randperm(len(Xtr))
    win = {"loss": [], "time": [], "data_time": []}
    t_prev = time.time()
    for i in range(iters_per_epoch):
        t0 = time.time()
        b = idx[i * BS:(i + 1) * BS]
        xb, yb = random_shift(Xtr[b]), ytr[b]
        dtime = time.time() - t0
        warm = min(1.0, 0.1 + 0.9 * global_iter / WARM_ITERS)
        for g in opt.param_groups:
            g["lr"] = BASE_LR * cos * warm
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        global_iter += 1
        win["loss"].append(loss.item())
        win["data_time"].append(dtime)
        win["time"].append(time.time() - t_prev)
        t_prev = time.time()
        if global_iter % INTERVAL == 0:
            rec = {"lr": opt.param_groups[0]["lr"], "data_time": float(np.mean(win["data_time"])),
                   "loss": float(np.mean(win["loss"])), "time": float(np.mean(win["time"])),
                   "epoch": epoch, "iter": global_iter, "step": global_iter}
            with open(path, "a") as f:
                f.write(json.dumps(rec) + "\n")
            win = {"loss": [], "time": [], "data_time": []}
    model.eval()
    t0 = time.time()
    with torch.no_grad():
        logits = model(Xva)
    top5 = logits.topk(5, 1).indices
    top1 = (top5[:, 0] == yva).float().mean().item() * 100
    top5a = (top5 == yva[:, None]).any(1).float().mean().item() * 100
    val_loss = F.cross_entropy(logits, yva).item()
    with open(path, "a") as f:
        f.write(json.dumps({"accuracy/top1": top1, "accuracy/top5": top5a, "data_time": 0.0001,
                            "time": time.time() - t0, "step": epoch}) + "\n")
    print(f"Epoch(val) [{epoch}][{len(Xva)}/{len(Xva)}]    accuracy/top1: {top1:.4f}  accuracy/top5: {top5a:.4f}  "
          f"(train loss last window {rec['loss']:.4f}, val CE {val_loss:.4f})")

print("CORPUS_METRIC " + json.dumps({"val_acc": round(top1 / 100, 4), "val_loss": round(val_loss, 4),
                                      "train_loss": round(rec["loss"], 4), "chance_acc": 0.1}))
