# expect: exploding_gradients
# allow: poor_initialization, non_finite, non_convergence, high_bias
# forbid: *
# evidence: planted: global grad norm 860 -> 1.3e3 -> 2.1e3 -> 2.7e3 -> 8.4e4 -> inf in the first 6 steps, then NaN; val_acc 0.37 = majority, val_loss nan. control (zero-init residual branches): grad norm ~5, val_acc 0.815, val_loss 0.497
# control: --control
"""A 'ResNet-ish' MLP with 8 residual blocks and no normalisation layers, every Linear He-initialised.
Each block adds a branch of the same variance as its input, so activations and gradients grow
~2x per block (2^8 = 256x overall): SGD then runs away within the first epoch.  --control applies the usual fix
for norm-free ResNets (Fixup / torchvision's zero_init_residual): the last Linear of every
residual branch starts at zero.  Everything else (depth, optimiser, lr) is identical."""
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--blocks", type=int, default=8)
parser.add_argument("--lr", type=float, default=0.003)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc1 = nn.Linear(width, width)
        self.fc2 = nn.Linear(width, width)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(x)))


class Net(nn.Module):
    def __init__(self, d_in, width, n_blocks, n_out, zero_init_residual):
        super().__init__()
        self.stem = nn.Linear(d_in, width)
        self.blocks = nn.ModuleList([Block(width) for _ in range(n_blocks)])
        self.head = nn.Linear(width, n_out)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
        if zero_init_residual:
            for b in self.blocks:
                nn.init.zeros_(b.fc2.weight)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        return self.head(F.relu(x))


def make_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 16, generator=g)
    logits = torch.stack([x[:, 0] + x[:, 1], x[:, 2] * x[:, 3], -x[:, 0] + torch.sin(2 * x[:, 4]),
                          x[:, 5].abs() - 0.8], 1)
    return x, logits.argmax(1)


x_tr, y_tr = make_data(3000, 1)
x_va, y_va = make_data(1000, 2)

model = Net(16, 64, args.blocks, 4, zero_init_residual=args.control)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)

grad_norms = []
for epoch in range(12):
    model.train()
    perm = torch.randperm(len(x_tr))
    tot, n_seen = 0.0, 0
    for i in range(0, len(x_tr), 64):
        idx = perm[i:i + 64]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x_tr[idx]), y_tr[idx])
        loss.backward()
        gn = torch.sqrt(sum((p.grad.detach() ** 2).sum() for p in model.parameters())).item()
        grad_norms.append(gn)
        optimizer.step()
        if math.isfinite(loss.item()):
            tot += loss.item() * len(idx)
            n_seen += len(idx)
    model.eval()
    with torch.no_grad():
        out = model(x_va)
        val_loss = F.cross_entropy(out, y_va).item()
        val_acc = (out.argmax(1) == y_va).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tot / max(n_seen, 1):.4g} val_loss {val_loss:.4g} val_acc {val_acc:.4f} "
          f"max grad norm this epoch {max(grad_norms[-47:]):.3g}")

majority = torch.bincount(y_va).max().item() / len(y_va)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4) if math.isfinite(val_loss) else str(val_loss),
                                     "val_acc": round(val_acc, 4), "chance_acc": round(majority, 4),
                                     "grad_norm_first_6_steps": [f"{g:.3g}" for g in grad_norms[:6]]}))
