# expect:
# forbid: *
# evidence: val_acc 1.0 (chance 0.333), val_nll 0.0002 = train 0.0002; clipping at 1.0 never triggered (clipped_frac 0.0)
# Functional style: F.log_softmax + F.nll_loss, gradient clipping at max_norm=1.0 (a safeguard; it rarely triggers here).
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(2, 64)
        self.l2 = nn.Linear(64, 64)
        self.l3 = nn.Linear(64, 3)

    def forward(self, x):
        x = F.relu(self.l1(x))
        x = F.relu(self.l2(x))
        return F.log_softmax(self.l3(x), dim=1)


def spirals(n, g, noise=0.03):
    # 3 interleaved spiral arms in 2-D (coordinates roughly in [-1, 1]); the crowded centre is left out
    y = torch.randint(0, 3, (n,), generator=g)
    r = 0.2 + 0.8 * torch.rand(n, generator=g)
    theta = 4.0 * r + y * (2 * torch.pi / 3)
    x = torch.stack([r * torch.cos(theta), r * torch.sin(theta)], 1) + noise * torch.randn(n, 2, generator=g)
    return x / 0.5, y


g = torch.Generator().manual_seed(3)
Xtr, Ytr = spirals(3000, g)
Xva, Yva = spirals(1000, g)
net = Net()
opt = torch.optim.Adam(net.parameters(), lr=3e-3)

clipped = 0
steps = 0
for epoch in range(25):
    net.train()
    perm = torch.randperm(len(Xtr))
    s = 0.0
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        loss = F.nll_loss(net(Xtr[b]), Ytr[b])
        opt.zero_grad()
        loss.backward()
        total_norm = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
        clipped += int(total_norm > 1.0)
        steps += 1
        opt.step()
        s += loss.item() * len(b)
    net.eval()
    with torch.no_grad():
        lp = net(Xva)
        vl = F.nll_loss(lp, Yva).item()
        va = (lp.argmax(1) == Yva).float().mean().item()
    if epoch % 4 == 3:
        print(f"epoch {epoch + 1} nll {s / len(Xtr):.4f} val_nll {vl:.4f} val_acc {va:.4f} (clipped {clipped}/{steps} steps)")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(s / len(Xtr), 4),
                                      "chance_acc": 0.333, "clipped_frac": round(clipped / steps, 4)}))
