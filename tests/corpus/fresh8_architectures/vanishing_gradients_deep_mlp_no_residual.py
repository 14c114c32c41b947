# expect: vanishing_gradients
# allow: high_bias, non_convergence, poor_initialization, learning_rate_too_low, dead_units
# forbid: *
# evidence: planted (24 plain Linear+ReLU, default init) stuck at val_acc 0.281 = majority 0.281, train_loss 1.382; mean |grad| block1 / block24 = 3.9e-9; control (pre-norm residual) reaches val_acc 0.845, train_loss 0.155, grad ratio 5.0
# control: --control
# "Deeper is better": 24 hidden Linear+ReLU layers stacked on a tabular task.  The block was meant to be
# x + Linear(ReLU(LayerNorm(x))) (pre-norm residual) but the residual and the norm were dropped, so with PyTorch's
# default init each layer shrinks the signal ~2.4x and the first layers get ~1e-9 of the last layer's gradient.
# --control: restore the pre-norm residual block (same depth, same init, same optimizer).
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(3)
RESIDUAL = "--control" in sys.argv
DEPTH, WIDTH, N_IN, N_CLS = 24, 64, 20, 4

g = torch.Generator().manual_seed(0)
W_true = torch.randn(N_IN, 16, generator=g)
V_true = torch.randn(16, N_CLS, generator=g)


def make(n):
    x = torch.randn(n, N_IN, generator=g)
    logits = torch.tanh(x @ W_true / 3) @ V_true * 2
    return x, logits.argmax(1)


x_tr, y_tr = make(3000)
x_va, y_va = make(1000)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm(WIDTH) if RESIDUAL else nn.Identity()
        self.fc = nn.Linear(WIDTH, WIDTH)

    def forward(self, x):
        if RESIDUAL:
            return x + self.fc(F.relu(self.norm(x)))
        return F.relu(self.fc(x))


model = nn.Sequential(nn.Linear(N_IN, WIDTH), *[Block() for _ in range(DEPTH)], nn.Linear(WIDTH, N_CLS))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
first, last = model[1].fc, model[DEPTH].fc

for epoch in range(12):
    perm = torch.randperm(len(x_tr))
    g_first = g_last = 0.0
    nb = 0
    for i in range(0, len(x_tr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(x_tr[idx]), y_tr[idx])
        opt.zero_grad()
        loss.backward()
        g_first += first.weight.grad.norm().item()
        g_last += last.weight.grad.norm().item()
        nb += 1
        opt.step()
    with torch.no_grad():
        out = model(x_va)
        vl = F.cross_entropy(out, y_va).item()
        va = (out.argmax(1) == y_va).float().mean().item()
        tl = F.cross_entropy(model(x_tr), y_tr).item()
    print(f"epoch {epoch:2d} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f} "
          f"|grad| block1 {g_first / nb:.2e} block{DEPTH} {g_last / nb:.2e}")

ratio = g_first / max(g_last, 1e-30)
print(f"grad-norm ratio first/last hidden block: {ratio:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(torch.bincount(y_va).max().item() / len(y_va), 4),
                                      "grad_ratio_first_last": ratio}))
