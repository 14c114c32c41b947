# Seven-segment display digit reader: 20x12 grayscale crops of LCD digits with
# blur, jitter, dead segments and sensor noise.  Small CNN, accelerate loop,
# label smoothing, step LR decay, trained until train loss is at its floor.
# Writes history.csv (one row per logged step / epoch) to $CORPUS_LOG_DIR.
#
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.97 / val_loss 0.18 on 600 held-out crops (chance 0.10; ~10% of crops have a dead segment, which makes a few digits ambiguous)
# native-log: history.csv
# log-expect:
# log-allow:
import csv
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from accelerate import Accelerator

torch.set_num_threads(1)
torch.manual_seed(5)
np.random.seed(5)

SEGMENTS = {  # a b c d e f g
    0: "1111110", 1: "0110000", 2: "1101101", 3: "1111001", 4: "0110011",
    5: "1011011", 6: "1011111", 7: "1110000", 8: "1111111", 9: "1111011"}
H, W = 20, 12


def draw_digit(d):
    img = np.zeros((H, W), np.float32)
    on = SEGMENTS[d]
    dead = np.random.randint(7) if np.random.rand() < 0.1 else -1
    boxes = [(1, 2, 3, 9), (2, 9, 9, 11), (10, 9, 18, 11), (17, 2, 19, 9), (10, 1, 18, 3), (2, 1, 9, 3), (9, 2, 11, 9)]
    for k, (y0, x0, y1, x1) in enumerate(boxes):
        if on[k] == "1" and k != dead:
            img[y0:y1, x0:x1] = 1.0
    img = np.roll(img, np.random.randint(-1, 2), axis=0)
    img = np.roll(img, np.random.randint(-1, 2), axis=1)
    img = img * np.random.uniform(0.5, 1.0) + np.random.normal(0, 0.3, img.shape)
    return img


def dataset(n):
    y = np.random.randint(0, 10, n)
    x = np.stack([draw_digit(d) for d in y])[:, None]
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


class SegNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 5 * 3, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


x_train, y_train = dataset(2400)
x_val, y_val = dataset(600)
x_val = (x_val - x_train.mean()) / x_train.std()
x_train = (x_train - x_train.mean()) / x_train.std()

accelerator = Accelerator(cpu=True)
net = SegNet()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.3)
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
net, opt, train_dl = accelerator.prepare(net, opt, train_dl)

path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "history.csv")
fields = ["epoch", "step", "train_loss", "val_loss", "val_acc", "lr"]
with open(path, "w", newline="") as f:
    wr = csv.DictWriter(f, fieldnames=fields)
    wr.writeheader()
    gstep = 0
    for epoch in range(10):
        net.train()
        for xb, yb in train_dl:
            opt.zero_grad()
            loss = F.cross_entropy(net(xb), yb, label_smoothing=0.05)
            accelerator.backward(loss)
            opt.step()
            gstep += 1
            if gstep % 15 == 0:
                wr.writerow({"epoch": epoch, "step": gstep, "train_loss": round(loss.item(), 5),
                             "lr": opt.param_groups[0]["lr"]})
        sched.step()  # StepLR is defined in epochs
        net.eval()
        with torch.no_grad():
            logits = net(x_val)
            vloss = F.cross_entropy(logits, y_val).item()
            vacc = (logits.argmax(1) == y_val).float().mean().item()
        wr.writerow({"epoch": epoch, "step": gstep, "val_loss": round(vloss, 5), "val_acc": round(vacc, 4)})
        accelerator.print(f"epoch {epoch}: val_loss={vloss:.4f} val_acc={vacc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(loss.item(), 4), "chance_acc": 0.1}))
