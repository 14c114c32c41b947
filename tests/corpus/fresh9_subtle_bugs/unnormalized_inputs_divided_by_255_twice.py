# expect: unnormalized_inputs
# allow: high_bias, non_convergence, learning_rate_too_low, vanishing_gradients
# forbid: *
# evidence: planted (pixels /255 twice, inputs <= 3.9e-3) val_acc 0.402, train_loss 2.09, val_loss 2.01 after 8 epochs; control (/255 once) val_acc 1.000, train_loss 0.005 (chance 0.1)
# control: --control
# uint8 "digit-like" images. The Dataset already returns pixels / 255, and the training
# loop divides by 255 again ("normalise to [0,1]"), so the network sees inputs of ~1e-5..4e-3.
import sys
import json
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

CONTROL = "--control" in sys.argv
torch.manual_seed(0)
np.random.seed(0)
torch.set_num_threads(1)

# 10 prototype 14x14 stroke patterns, drawn with jitter and noise into uint8
protos = (np.random.rand(10, 14, 14) > 0.6).astype(np.float32)


def render(n):
    y = np.random.randint(0, 10, n)
    imgs = []
    for c in y:
        img = np.roll(protos[c], shift=(np.random.randint(-1, 2), np.random.randint(-1, 2)), axis=(0, 1))
        img = 200 * img + np.random.normal(0, 50, img.shape) + 20
        imgs.append(np.clip(img, 0, 255).astype(np.uint8))
    return np.stack(imgs), y


class Pixels(Dataset):
    def __init__(self, imgs, labels):
        self.imgs, self.labels = imgs, labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = torch.from_numpy(self.imgs[i]).float().div(255.0).flatten()
        return x, int(self.labels[i])


tr_imgs, tr_y = render(3000)
va_imgs, va_y = render(1000)
train_dl = DataLoader(Pixels(tr_imgs, tr_y), batch_size=64, shuffle=True)
val_dl = DataLoader(Pixels(va_imgs, va_y), batch_size=500)

net = nn.Sequential(nn.Linear(196, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()


def prep(x):
    return x if CONTROL else x / 255.0   # the second, accidental, scaling


for epoch in range(8):
    net.train()
    s, k = 0.0, 0
    for x, y in train_dl:
        loss = crit(net(prep(x)), y)
        opt.zero_grad(); loss.backward(); opt.step()
        s += loss.item(); k += 1
    net.eval()
    vl, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for x, y in val_dl:
            out = net(prep(x))
            vl += crit(out, y).item() * len(y); correct += (out.argmax(1) == y).sum().item(); n += len(y)
    print(f"epoch {epoch} train_loss {s/k:.4f} val_loss {vl/n:.4f} val_acc {correct/n:.3f} input_max {prep(x).max():.2e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": vl / n, "val_acc": correct / n, "train_loss": s / k, "chance_acc": 0.1}))
