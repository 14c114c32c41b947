# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: planted (lr 1.5): per-batch train loss bounces between 1.32 and 1.67 and averages 1.43 (above ln 4 = 1.39) after 6 epochs, val_acc 0.24 (chance 0.25); control (lr 0.03): val_acc 0.99, val_loss 0.06
# control: --control
"""Deep-sets / PointNet-lite classifier for 2-D point sets (ring vs. blob vs. line vs.
cross). SGD with Nesterov momentum; the lr was copied from a BatchNorm ResNet recipe
(lr=1.5) into this small un-normalised network. Control: lr=0.03."""
import argparse
import json
import math
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(9)
torch.set_num_threads(1)
M = 48


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)
    pts = torch.empty(n, M, 2)
    for k in range(n):
        c = int(y[k])
        if c == 0:
            a = torch.rand(M, generator=g) * 2 * math.pi
            p = torch.stack([a.cos(), a.sin()], 1)
        elif c == 1:
            p = torch.randn(M, 2, generator=g) * 0.5
        elif c == 2:
            s = torch.rand(M, 1, generator=g) * 2 - 1
            p = s * torch.tensor([[1.0, 0.3]])
        else:
            s = torch.rand(M, 1, generator=g) * 2 - 1
            arm = torch.rand(M, 1, generator=g) < 0.5
            p = torch.where(arm, s * torch.tensor([[1.0, 0.0]]), s * torch.tensor([[0.0, 1.0]]))
        th = torch.rand(1, generator=g) * 2 * math.pi
        R = torch.tensor([[th.cos().item(), -th.sin().item()], [th.sin().item(), th.cos().item()]])
        pts[k] = p @ R.T + 0.08 * torch.randn(M, 2, generator=g)
    return pts, y


class DeepSet(nn.Module):
    def __init__(self):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU())
        self.rho = nn.Sequential(nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 4))

    def forward(self, x):
        h = self.phi(x)
        return self.rho(torch.cat([h.max(1).values, h.mean(1)], -1))


Xtr, ytr = make(1200, 0)
Xva, yva = make(400, 1)
model = DeepSet()
lr = 0.03 if args.control else 1.5
opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True)
crit = nn.CrossEntropyLoss()

for epoch in range(6):
    perm = torch.randperm(len(ytr))
    losses = []
    for i in range(0, len(perm), 32):
        j = perm[i:i + 32]
        loss = crit(model(Xtr[j]), ytr[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with torch.no_grad():
        out = model(Xva)
        vl = crit(out, yva).item()
        acc = (out.argmax(1) == yva).float().mean().item()
    tl = sum(losses) / len(losses)
    print(f"epoch {epoch}: train_loss {tl:.4f} (min {min(losses):.3f} max {max(losses):.3f}) val_loss {vl:.4f} val_acc {acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if math.isfinite(vl) else None, "val_acc": round(acc, 4),
                                     "train_loss": round(tl, 4) if math.isfinite(tl) else None, "chance_acc": 0.25}))
