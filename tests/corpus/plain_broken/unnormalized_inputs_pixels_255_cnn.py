# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, dead_units, non_finite
# forbid: *
# evidence: planted (raw 0..255 floats, mean ~60): loss stuck at ln5=1.609, val_acc 0.19 (chance 0.2); control (x/255 then mean/std): val_acc 1.000, val_loss 0.0004
# control: --control
# "MNIST-like" 8-bit grayscale digits-of-strokes fed to a CNN as raw 0..255 floats.
# Control: the usual transform, x/255 then (x-mean)/std.
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

torch.set_num_threads(1)
torch.manual_seed(0)
NORMALISE = "--control" in sys.argv


def render(n, seed):
    """uint8 images: 5 glyph classes (-, |, /, \\, +) at a random offset on a dim textured background."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 5, (n,), generator=g)
    img = torch.rand(n, 14, 14, generator=g) * 60 + 20
    r = torch.arange(14)
    for i in range(n):
        o = int(torch.randint(3, 11, (1,), generator=g))
        k = int(y[i])
        if k in (0, 4):
            img[i, o, :] += 150
        if k in (1, 4):
            img[i, :, o] += 150
        if k == 2:
            img[i, r, (r + o) % 14] += 150
        if k == 3:
            img[i, r, (o - r) % 14] += 150
    return img.clamp(0, 255).round().to(torch.uint8), y


class GlyphSet(Dataset):
    def __init__(self, n, seed, mean=None, std=None):
        self.x, self.y = render(n, seed)
        self.mean, self.std = mean, std

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        x = self.x[i].float().unsqueeze(0)
        if NORMALISE:
            x = (x / 255.0 - self.mean) / self.std
        return x, self.y[i]


tmp = render(500, 99)[0].float() / 255.0
MEAN, STD = tmp.mean().item(), tmp.std().item()
train_set = GlyphSet(2000, 1, MEAN, STD)
val_set = GlyphSet(600, 2, MEAN, STD)
train_loader = DataLoader(train_set, batch_size=50, shuffle=True)
val_loader = DataLoader(val_set, batch_size=300)


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 12, 3)
        self.c2 = nn.Conv2d(12, 24, 3)
        self.fc = nn.Linear(24 * 4 * 4, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)     # 12x12 -> 6x6
        x = F.relu(self.c2(x))                      # 6x6 -> 4x4
        return self.fc(x.flatten(1))


model = SmallCNN()
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)

for epoch in range(6):
    model.train()
    s, n = 0.0, 0
    for xb, yb in train_loader:
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        s += loss.item() * len(yb)
        n += len(yb)
    model.eval()
    vs, vc = 0.0, 0
    with torch.no_grad():
        for xb, yb in val_loader:
            out = model(xb)
            vs += F.cross_entropy(out, yb, reduction="sum").item()
            vc += (out.argmax(1) == yb).sum().item()
    print(f"epoch {epoch} train_loss {s / n:.4f} val_loss {vs / len(val_set):.4f} val_acc {vc / len(val_set):.3f}")

f = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": f(vs / len(val_set)), "val_acc": round(vc / len(val_set), 4),
                                     "train_loss": f(s / n), "chance_acc": 0.2}))
