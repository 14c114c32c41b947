# expect:
# allow:
# forbid: *
# evidence: val_acc 0.985 on randomly rotated held-out clouds (chance 0.2), val_loss 0.06
"""PointNet-style classifier (shared per-point MLP + symmetric max pool) on synthetic 3-D
point clouds of five primitive shapes, random rotation about z + jitter augmentation,
Adam + StepLR, BatchNorm in the shared MLP."""
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(8)
torch.set_num_threads(1)
NPTS = 48


def sample_shape(kind, n, g):
    u = torch.rand(n, generator=g)
    v = torch.rand(n, generator=g)
    if kind == 0:  # sphere
        p = torch.randn(n, 3, generator=g)
        p = p / p.norm(dim=1, keepdim=True)
    elif kind == 1:  # cube surface
        p = torch.rand(n, 3, generator=g) * 2 - 1
        ax = torch.randint(0, 3, (n,), generator=g)
        p[torch.arange(n), ax] = torch.sign(torch.randn(n, generator=g))
    elif kind == 2:  # cylinder
        th = 2 * math.pi * u
        p = torch.stack([torch.cos(th), torch.sin(th), v * 2 - 1], 1)
    elif kind == 3:  # cone
        th = 2 * math.pi * u
        p = torch.stack([(1 - v) * torch.cos(th), (1 - v) * torch.sin(th), v * 2 - 1], 1)
    else:  # torus
        th, ph = 2 * math.pi * u, 2 * math.pi * v
        p = torch.stack([(0.8 + 0.3 * torch.cos(ph)) * torch.cos(th), (0.8 + 0.3 * torch.cos(ph)) * torch.sin(th),
                         0.3 * torch.sin(ph)], 1)
    return p


def dataset(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 5, (n,), generator=g)
    X = torch.stack([sample_shape(int(k), NPTS, g) for k in y])
    X = X * (0.7 + 0.6 * torch.rand(n, 1, 3, generator=g))  # anisotropic scaling
    X = X + 0.05 * torch.randn(X.shape, generator=g)
    return X, y


def rotate_z(X):
    th = torch.rand(X.size(0)) * 2 * math.pi
    c, s = torch.cos(th), torch.sin(th)
    R = torch.zeros(X.size(0), 3, 3)
    R[:, 0, 0], R[:, 0, 1], R[:, 1, 0], R[:, 1, 1], R[:, 2, 2] = c, -s, s, c, 1
    return X @ R.transpose(1, 2)


class PointNet(nn.Module):
    def __init__(self, k=5):
        super().__init__()
        self.conv1 = nn.Conv1d(3, 32, 1)
        self.conv2 = nn.Conv1d(32, 64, 1)
        self.conv3 = nn.Conv1d(64, 128, 1)
        self.bn1, self.bn2, self.bn3 = nn.BatchNorm1d(32), nn.BatchNorm1d(64), nn.BatchNorm1d(128)
        self.fc1 = nn.Linear(128, 64)
        self.drop = nn.Dropout(0.3)
        self.fc2 = nn.Linear(64, k)

    def forward(self, pts):  # pts: B x N x 3
        x = pts.transpose(1, 2)
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        x = F.relu(self.bn3(self.conv3(x)))
        x = x.max(dim=2).values
        return self.fc2(self.drop(F.relu(self.fc1(x))))


Xtr, ytr = dataset(800, 1)
Xva, yva = dataset(400, 2)
Xva = rotate_z(Xva)
model = PointNet()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)

for ep in range(6):
    model.train()
    perm = torch.randperm(len(ytr))
    run, seen = 0.0, 0
    for i in range(0, len(perm), 32):
        j = perm[i:i + 32]
        xb = rotate_z(Xtr[j]) + 0.01 * torch.randn(len(j), NPTS, 3)
        loss = F.cross_entropy(model(xb), ytr[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        run += loss.item() * len(j)
        seen += len(j)
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item()
        acc = (out.argmax(1) == yva).float().mean().item()
    print(f"ep {ep} lr {opt.param_groups[0]['lr']:.1e} train_loss {run/seen:.4f} val_loss {vl:.4f} val_acc {acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4),
                                     "train_loss": round(run / seen, 4), "chance_acc": 0.2}))
