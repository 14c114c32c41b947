# expect: poor_initialization
# allow: non_convergence, high_bias, vanishing_gradients, dead_units
# forbid: *
# evidence: planted (every conv/linear weight = 0.01, so all filters/units stay identical: 1/32 distinct conv2 filters) val_acc 0.402, val_loss 1.278, train_loss 1.32; control (kaiming init) val_acc 0.964, val_loss 0.096, train_loss 0.017 (chance 0.167)
# control: --control
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="use kaiming init instead of the constant init")
parser.add_argument("--epochs", type=int, default=8)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(99)

# ----------------------------------------------------------------------------- data
# six classes: {filled, outline} x {circle, square, triangle}
R = 18
coords = torch.stack(torch.meshgrid(torch.arange(R).float(), torch.arange(R).float(), indexing="ij"))


def inside(kind, cy, cx, r):
    y, x = coords[0] - cy, coords[1] - cx
    if kind == 0:
        return y ** 2 + x ** 2 <= r ** 2
    if kind == 1:
        return torch.maximum(y.abs(), x.abs()) <= r * 0.85
    return (y <= r * 0.75) & (y >= -r) & (x.abs() <= (y + r) * 0.58)


def sample(label, g):
    kind, outline = label % 3, label // 3
    r = 4 + 3 * torch.rand(1, generator=g).item()
    cy, cx = (r + 1 + (R - 2 * r - 2) * torch.rand(2, generator=g)).tolist()
    m = inside(kind, cy, cx, r)
    if outline:
        m = m & ~inside(kind, cy, cx, r - 1.8)
    return m.float() + 0.2 * torch.randn(R, R, generator=g)


def dataset(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 6, (n,), generator=g)
    return torch.stack([sample(int(k), g) for k in y]).unsqueeze(1), y


# ----------------------------------------------------------------------------- model
class ShapeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.c3 = nn.Conv2d(32, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 6)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = F.adaptive_avg_pool2d(F.relu(self.c3(x)), 4)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        if args.control:
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        else:
            nn.init.constant_(m.weight, 0.01)      # small deterministic weights -> reproducible runs
        nn.init.zeros_(m.bias)


model = ShapeNet()
model.apply(init_weights)
xtr, ytr = dataset(1500, 1)
xva, yva = dataset(500, 2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(args.epochs):
    model.train()
    perm = torch.randperm(len(xtr))
    losses = []
    for i in range(0, len(xtr), 32):
        b = perm[i:i + 32]
        loss = F.cross_entropy(model(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(xva)
        val_loss = F.cross_entropy(out, yva).item()
        val_acc = (out.argmax(1) == yva).float().mean().item()
        distinct = torch.unique(model.c2.weight.detach().round(decimals=6), dim=0).shape[0]
    print(f"epoch {epoch}: train_loss {sum(losses) / len(losses):.4f} val_loss {val_loss:.4f} "
          f"val_acc {val_acc:.3f} distinct conv2 filters {distinct}/32")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(sum(losses) / len(losses), 4),
                                     "val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "chance_acc": round(1 / 6, 4), "distinct_conv2_filters": distinct}))
