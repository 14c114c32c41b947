# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, poor_initialization, learning_rate_too_low
# forbid: *
# evidence: planted (14 sigmoid layers, default init): layer-1 weight grad norm 1.1e-12 vs layer-14 6.6e-2, loss 1.387 (ln4), val_acc 0.216 (majority 0.281); control (ReLU + He): layer-1 grad 0.81, val_acc 0.927, val_loss 0.221
# control: --control
"""A 14-layer sigmoid MLP with PyTorch's default Linear init, trained with SGD+momentum.
Control: the same depth/width with ReLU and He init."""
import json
import sys

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(11)
USE_RELU = "--control" in sys.argv


class DeepMLP(nn.Module):
    def __init__(self, d_in=10, width=48, depth=14, n_out=4):
        super().__init__()
        dims = [d_in] + [width] * depth
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.act = nn.ReLU() if USE_RELU else nn.Sigmoid()
        self.out = nn.Linear(width, n_out)
        if USE_RELU:
            for l in self.hidden:
                nn.init.kaiming_normal_(l.weight, nonlinearity="relu")
                nn.init.zeros_(l.bias)

    def forward(self, x):
        for l in self.hidden:
            x = self.act(l(x))
        return self.out(x)


gen = torch.Generator().manual_seed(5)
proj = torch.randn(10, 4, generator=gen)
proj = proj / proj.norm(dim=0)  # balanced classes


def batch(n):
    x = torch.randn(n, 10, generator=gen)
    return x, (x @ proj).argmax(1)


Xtr, Ytr = batch(3000)
Xva, Yva = batch(1000)

model = DeepMLP()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
ce = nn.CrossEntropyLoss()
steps_per_epoch = len(Xtr) // 50
for epoch in range(10):
    perm = torch.randperm(len(Xtr))
    first, last, tot = 0.0, 0.0, 0.0
    for b in range(steps_per_epoch):
        i = perm[b * 50:(b + 1) * 50]
        loss = ce(model(Xtr[i]), Ytr[i])
        opt.zero_grad()
        loss.backward()
        first += model.hidden[0].weight.grad.norm().item() / steps_per_epoch
        last += model.hidden[-1].weight.grad.norm().item() / steps_per_epoch
        opt.step()
        tot += loss.item() / steps_per_epoch
    with torch.no_grad():
        lv = model(Xva)
        val_loss = ce(lv, Yva).item()
        val_acc = (lv.argmax(1) == Yva).float().mean().item()
    print(f"epoch {epoch}: loss {tot:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f} "
          f"| grad norm layer1 {first:.2e} layer14 {last:.2e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(tot, 4), "chance_acc": round(torch.bincount(Yva).max().item() / len(Yva), 4),
                                     "grad_norm_first": float(f"{first:.3g}"), "grad_norm_last": float(f"{last:.3g}")}))
