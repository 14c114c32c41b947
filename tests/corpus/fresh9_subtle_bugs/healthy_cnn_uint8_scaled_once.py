# expect:
# allow:
# forbid: *
# evidence: val_acc 0.994, val_loss 0.030, train_loss 0.032 after 8 epochs (chance 0.167)
# uint8 images converted once with /255 and then standardised with the training-set mean/std
# (the torchvision ToTensor + Normalize recipe done by hand). Small CNN, SGD + momentum,
# random-crop style augmentation via torch.roll.
import json
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(3)
torch.manual_seed(3)
torch.set_num_threads(1)

protos = (rng.random((6, 16, 16)) > 0.65).astype(np.float32)
def render(n):
    y = rng.integers(0, 6, n)
    x = np.stack([np.roll(protos[c], (rng.integers(-2, 3), rng.integers(-2, 3)), (0, 1)) for c in y])
    x = 170 * x + rng.normal(40, 70, x.shape)
    return np.clip(x, 0, 255).astype(np.uint8), y

xtr_u8, ytr = render(2500)
xva_u8, yva = render(800)
to_float = lambda a: torch.from_numpy(a).float().unsqueeze(1) / 255.0
xtr, xva = to_float(xtr_u8), to_float(xva_u8)
MEAN, STD = xtr.mean().item(), xtr.std().item()
xtr, xva = (xtr - MEAN) / STD, (xva - MEAN) / STD
ytr, yva = torch.from_numpy(ytr), torch.from_numpy(yva)

class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 4 * 4, 6)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))

def augment(x):
        dx, dy = np.random.randint(-1, 2, 2)
        return torch.roll(x, shifts=(int(dx), int(dy)), dims=(2, 3))

def run_epoch(model, opt):
    model.train(); tot = 0.0; nb = 0
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 50):
        b = perm[i:i + 50]
        loss = F.cross_entropy(model(augment(xtr[b])), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item(); nb += 1
    return tot / nb

@torch.no_grad()
def evaluate(model):
    model.eval()
    out = model(xva)
    return F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()

np.random.seed(0)
model = SmallCNN()
opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, weight_decay=5e-4)
for ep in range(8):
    tl = run_epoch(model, opt)
    vl, va = evaluate(model)
    print(f"epoch {ep}: train {tl:.4f} | val {vl:.4f} | acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 1 / 6}))
