# expect:
# allow:
# forbid: *
# evidence: small CNN on 8x8 digits, 2-epoch warm-up + cosine, label smoothing 0.1, 14 epochs: val_loss 0.177, val_acc 0.980 (chance 0.10); logged (smoothed) train loss plateaus at 0.59 = the label-smoothing floor, unsmoothed train CE 0.146, train acc 99.6%
# native-log: train.log
# log-expect:
# log-allow:
# A homegrown logging.Formatter log: accuracies as percentages ("acc 81.2%") and the learning
# rate in scientific notation ("lr 3.00e-04"), warm-up then cosine decay, label smoothing 0.1.
import json
import logging
import math
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
torch.manual_seed(41)

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(logdir, exist_ok=True)
log = logging.getLogger("trainer")
log.setLevel(logging.INFO)
fh = logging.FileHandler(os.path.join(logdir, "train.log"), mode="w")
fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s"))
log.addHandler(fh)
log.addHandler(logging.StreamHandler())


class LeNetish(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 12, 3, padding=1)
        self.c2 = nn.Conv2d(12, 24, 3, padding=1)
        self.fc = nn.Linear(24 * 4 * 4, 10)
        self.drop = nn.Dropout(0.25)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(self.drop(x.flatten(1)))


d = load_digits()
imgs = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0
imgs = (imgs - 0.3) / 0.4
lab = torch.tensor(d.target)
p = torch.randperm(len(imgs))
tr_i, va_i = p[:1440], p[1440:]

net = LeNetish()
base_lr, warmup, epochs, bs = 3e-3, 2, 14, 48
opt = torch.optim.Adam(net.parameters(), lr=base_lr)
steps_ep = math.ceil(len(tr_i) / bs)


def lr_at(step):
    if step < warmup * steps_ep:
        return base_lr * (step + 1) / (warmup * steps_ep)
    t = (step - warmup * steps_ep) / ((epochs - warmup) * steps_ep)
    return base_lr * 0.5 * (1 + math.cos(math.pi * t))


step = 0
for ep in range(epochs):
    net.train()
    correct = seen = 0
    loss_sum = 0.0
    for b in tr_i[torch.randperm(len(tr_i))].split(bs):
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        out = net(imgs[b])
        loss = F.cross_entropy(out, lab[b], label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        loss_sum += loss.item() * len(b)
        seen += len(b)
        correct += (out.argmax(1) == lab[b]).sum().item()
        if step % 15 == 0:
            log.info(f"ep {ep + 1}/{epochs} it {step} | loss {loss.item():.4f} | lr {opt.param_groups[0]['lr']:.2e}")
    net.eval()
    with torch.no_grad():
        o = net(imgs[va_i])
        vl = F.cross_entropy(o, lab[va_i]).item()
        va = (o.argmax(1) == lab[va_i]).float().mean().item()
    log.info(f"== epoch {ep + 1} done | train loss {loss_sum / seen:.4f} acc {100 * correct / seen:.1f}% "
             f"| val loss {vl:.4f} acc {100 * va:.1f}%")

with torch.no_grad():
    tl = F.cross_entropy(net(imgs[tr_i]), lab[tr_i]).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.1}))
