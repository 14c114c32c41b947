# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, high_variance, overfitting
# forbid: *
# evidence: planted (tanh MLP, weights ~ N(0,1)) 90% of hidden tanh outputs have |h|>0.99, val_acc 0.314, val_loss 2.22, train_loss 1.35; control (xavier_normal with tanh gain) saturated 3.2%, val_acc 0.886, val_loss 0.32, train_loss 0.022 (chance 0.10)
# control: --control
"""Old-school MNIST-style MLP (3 tanh hidden layers) on 16x16 renders of a 3x5 pixel font.
Weights are drawn from a standard normal, "like in the textbook"."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

XAVIER = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(17)

FONT = {0: "111101101101111", 1: "010110010010111", 2: "111001111100111", 3: "111001111001111",
        4: "101101111001001", 5: "111100111001111", 6: "111100111101111", 7: "111001010010010",
        8: "111101111101111", 9: "111101111001111"}


def load_digits(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=g)
    x = torch.zeros(n, 16, 16)
    for i in range(n):
        bm = torch.tensor([float(c) for c in FONT[int(y[i])]]).view(5, 3)
        bm = bm.repeat_interleave(2, 0).repeat_interleave(2, 1)                  # 10 x 6
        oy, ox = torch.randint(2, 5, (2,), generator=g).tolist()
        x[i, oy:oy + 10, ox + 2:ox + 8] = bm
    x = x + 0.3 * torch.randn(x.shape, generator=g)
    return x.view(n, -1), y


class TanhMLP(nn.Module):
    def __init__(self, sizes=(256, 128, 128, 128), n_out=10):
        super().__init__()
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.out = nn.Linear(sizes[-1], n_out)
        for lin in list(self.hidden) + [self.out]:
            if XAVIER:
                nn.init.xavier_normal_(lin.weight, gain=nn.init.calculate_gain("tanh"))
            else:
                nn.init.normal_(lin.weight, mean=0.0, std=1.0)
            nn.init.zeros_(lin.bias)

    def forward(self, x, keep=None):
        for lin in self.hidden:
            x = torch.tanh(lin(x))
            if keep is not None:
                keep.append(x)
        return self.out(x)


xtr, ytr = load_digits(2000, 1)
xva, yva = load_digits(500, 2)
net = TanhMLP()
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

for epoch in range(10):
    perm = torch.randperm(len(xtr))
    s = 0.0
    for i in range(0, len(xtr), 32):
        b = perm[i:i + 32]
        loss = F.cross_entropy(net(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        s += loss.item() * len(b)
    with torch.no_grad():
        acts = []
        out = net(xva, keep=acts)
        sat = torch.cat([a.flatten() for a in acts]).abs().gt(0.99).float().mean().item()
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {s / len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f} saturated {sat:.1%}")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(s / len(xtr), 4), "val_loss": round(vl, 4),
                                     "val_acc": round(va, 4), "chance_acc": 0.1,
                                     "saturated_frac": round(sat, 4)}))
