# expect: dead_units
# allow: high_bias, non_convergence, poor_initialization
# forbid: *
# evidence: planted (BN beta=-3): mean ReLU firing rate 0.002 after epoch 1 and 0.027 at the end, 31/80 channels fire on <1% of test positions; test acc 0.499, loss 1.139. control (beta=0): firing rate 0.488, 0/80 near-dead, test acc 0.970, loss 0.090 (chance 0.25)
# control: --control
"""2-D CNN (Conv-BatchNorm-ReLU x3) on 20x20 oriented-grating images (4 orientations, random
frequency/phase, noisy).  An init helper sets every BatchNorm shift (beta) to -3 'to start with
sparse activations': after BN each pre-activation is ~N(-3, 1), so >99% of ReLUs output 0 and
get no gradient, and they never come back.  --control leaves the BatchNorm init at its default
(beta = 0)."""
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--log-interval", type=int, default=20)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(1)


def gratings(n, seed, size=20):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)
    theta = y.float() * math.pi / 4 + 0.15 * torch.randn(n, generator=g)
    freq = 0.25 + 0.35 * torch.rand(n, generator=g)
    phase = 2 * math.pi * torch.rand(n, generator=g)
    coords = torch.arange(size).float() - size / 2
    yy, xx = torch.meshgrid(coords, coords, indexing="ij")
    proj = xx[None] * torch.cos(theta)[:, None, None] + yy[None] * torch.sin(theta)[:, None, None]
    img = torch.sin(freq[:, None, None] * proj + phase[:, None, None])
    img = img + 0.8 * torch.randn(n, size, size, generator=g)
    return img.unsqueeze(1), y


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


def init_sparse(m):
    if isinstance(m, nn.BatchNorm2d):
        nn.init.ones_(m.weight)
        nn.init.constant_(m.bias, -3.0)


def train(model, loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(loader):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(f"Train Epoch: {epoch} [{batch_idx * len(data)}/{len(loader.dataset)}]\tLoss: {loss.item():.6f}")


def test(model, x, y):
    model.eval()
    acts = []
    hooks = [m.register_forward_hook(lambda mod, i, o: acts.append(o))
             for m in model.features if isinstance(m, nn.ReLU)]
    with torch.no_grad():
        out = model(x)
    for h in hooks:
        h.remove()
    # fraction of positions (over all test images) where each channel fires;
    # a channel that fires on < 1% of them is counted as (nearly) dead
    fire = [(a > 0).float().mean(dim=(0, 2, 3)) for a in acts]
    dead = sum(int((f < 0.01).sum()) for f in fire)
    total = sum(len(f) for f in fire)
    active = torch.cat(fire).mean().item()
    loss = F.cross_entropy(out, y).item()
    acc = (out.argmax(1) == y).float().mean().item()
    print(f"Test set: loss {loss:.4f}, acc {acc:.4f}, channels firing <1%: {dead}/{total}, "
          f"mean firing rate {active:.3f}")
    return loss, acc, dead / total, active


x_tr, y_tr = gratings(2000, 1)
x_te, y_te = gratings(800, 2)
loader = DataLoader(TensorDataset(x_tr, y_tr), batch_size=32, shuffle=True)

model = Net()
if not args.control:
    model.apply(init_sparse)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
for epoch in range(1, args.epochs + 1):
    train(model, loader, optimizer, epoch)
    test_loss, test_acc, dead_frac, fire_rate = test(model, x_te, y_te)
    scheduler.step()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                     "chance_acc": 0.25, "near_dead_channel_frac": round(dead_frac, 4),
                                     "mean_relu_firing_rate": round(fire_rate, 4)}))
