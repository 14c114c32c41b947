# expect: exploding_gradients
# allow: non_finite, non_convergence, learning_rate_too_high, dead_units, high_bias
# forbid: *
# evidence: control (clip_grad_norm_ 1.0) reaches val_mse 0.028 (target var 1.22); planted: pre-clip grad norm 1.7e3 on the first step, loss and weights NaN from the second step on (val_mse nan, 383/384 steps with non-finite grads)
# control: --control
"""One-step-ahead forecaster for noisy multi-sine signals: an 'IRNN' (nn.RNN with ReLU and the
recurrent matrix initialised to the identity, Le et al. 2015) over 100-step windows, trained with
SGD + momentum. The IRNN recipe relies on gradient clipping; this script forgot it, so the
back-propagated gradients through 100 ReLU steps blow up. --control adds
clip_grad_norm_(model.parameters(), 1.0) and changes nothing else. The script records the
pre-clipping gradient norm of every step as a probe.
"""
import argparse
import json
import math

import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(3)
WIN, H = 100, 64


def series(n, g):
    t = torch.arange(WIN + 1).float()
    f = torch.rand(n, 2, 1, generator=g) * 0.25 + 0.05
    ph = torch.rand(n, 2, 1, generator=g) * 2 * math.pi
    a = torch.rand(n, 2, 1, generator=g) + 0.5
    x = (a * torch.sin(f * t + ph)).sum(1) + 0.1 * torch.randn(n, WIN + 1, generator=g)
    return x[:, :WIN].unsqueeze(-1), x[:, WIN]


g = torch.Generator().manual_seed(3)
xtr, ytr = series(2048, g)
xva, yva = series(512, g)


class IRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, H, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(H))
            self.rnn.bias_hh_l0.zero_()
            self.rnn.weight_ih_l0.normal_(0, 0.1)
        self.head = nn.Linear(H, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1]).squeeze(-1)


model = IRNN()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
lossf = nn.MSELoss()
norms = []
for epoch in range(6):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 32):
        ix = perm[i:i + 32]
        loss = lossf(model(xtr[ix]), ytr[ix])
        opt.zero_grad()
        loss.backward()
        if args.control:
            gn = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        else:
            gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
        norms.append(gn.item())
        opt.step()
    with torch.no_grad():
        vm = lossf(model(xva), yva).item()
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_mse {vm:.4f} max_grad_norm {max(norms[-64:]):.3g}")

with torch.no_grad():
    vm = lossf(model(xva), yva).item()
    tm = lossf(model(xtr[:512]), ytr[:512]).item()
finite = [n for n in norms if math.isfinite(n)]
print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(vm, 4) if math.isfinite(vm) else str(vm), "train_mse": round(tm, 4) if math.isfinite(tm) else str(tm),
    "target_var": round(yva.var().item(), 4),
    "probe_median_grad_norm": round(float(torch.tensor(finite).median()), 3) if finite else None,
    "probe_max_grad_norm": max(finite) if finite else None,
    "probe_nonfinite_grad_steps": len(norms) - len(finite)}))
