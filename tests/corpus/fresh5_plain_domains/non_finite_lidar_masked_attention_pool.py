# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: 32 training scans have no valid point; planted (-inf fill): loss is NaN from the first epoch on, val_loss NaN, val_acc 0.332 (chance 0.33); control (-1e9 fill): val_acc 0.99, val_loss 0.018
# control: --control
"""Object classification from cropped lidar returns: variable-length point sets, padded in a
collate_fn, pooled with masked attention. Points outside the sensor range are dropped, and a
few scans end up with NO valid point; masked_fill(-inf) over an all-masked row gives
softmax = NaN, which poisons the loss, the gradients and then (via Adam) every weight.
Control: fill with a large finite negative number instead of -inf."""
import argparse
import json
import math
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(10)
torch.set_num_threads(1)
MASK_FILL = -1e9 if args.control else float("-inf")


class LidarScans(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.items = []
        for _ in range(n):
            c = int(torch.randint(0, 3, (1,), generator=g))
            m = int(torch.randint(20, 60, (1,), generator=g))
            if c == 0:   # pole: tall thin
                p = torch.randn(m, 3, generator=g) * torch.tensor([0.1, 0.1, 1.0])
            elif c == 1:  # car: long low box
                p = (torch.rand(m, 3, generator=g) - 0.5) * torch.tensor([4.0, 1.8, 1.4])
            else:  # pedestrian: small blob
                p = torch.randn(m, 3, generator=g) * torch.tensor([0.3, 0.3, 0.6])
            dist = 5 + 45 * torch.rand(1, generator=g)
            p = p + torch.tensor([dist.item(), 0.0, 0.0])
            keep = p[:, 0] < 48.5  # sensor range crop
            self.items.append((p[keep] - torch.tensor([dist.item(), 0.0, 0.0]), c))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def collate(batch):
    n = max(1, max(len(p) for p, _ in batch))
    X = torch.zeros(len(batch), n, 3)
    mask = torch.zeros(len(batch), n, dtype=torch.bool)
    for k, (p, _) in enumerate(batch):
        X[k, :len(p)] = p
        mask[k, :len(p)] = True
    return X, mask, torch.tensor([c for _, c in batch])


class AttnPoolNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.score = nn.Linear(64, 1)
        self.cls = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 3))

    def forward(self, X, mask):
        h = self.enc(X)
        s = self.score(h).squeeze(-1).masked_fill(~mask, MASK_FILL)
        w = torch.softmax(s, dim=1)
        return self.cls((w.unsqueeze(-1) * h).sum(1))


train = LidarScans(1500, 1)
val = LidarScans(500, 2)
empty = sum(len(p) == 0 for p, _ in train.items)
print(f"train scans with no valid point: {empty}")
tl_loader = DataLoader(train, batch_size=32, shuffle=True, collate_fn=collate)
va_loader = DataLoader(val, batch_size=250, collate_fn=collate)
net = AttnPoolNet()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
lossf = nn.CrossEntropyLoss()

for epoch in range(6):
    net.train()
    tot, cnt = 0.0, 0
    for X, mask, y in tl_loader:
        loss = lossf(net(X, mask), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(y)
        cnt += len(y)
    net.eval()
    vl, correct, vn = 0.0, 0, 0
    with torch.no_grad():
        for X, mask, y in va_loader:
            out = net(X, mask)
            vl += lossf(out, y).item() * len(y)
            correct += (out.argmax(1) == y).sum().item()
            vn += len(y)
    print(f"epoch {epoch} train_loss {tot/cnt:.4f} val_loss {vl/vn:.4f} val_acc {correct/vn:.3f}")


def fin(v):
    return round(v, 4) if math.isfinite(v) else str(v)


print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl / vn), "val_acc": round(correct / vn, 4),
                                     "train_loss": fin(tot / cnt), "chance_acc": 0.3333}))
