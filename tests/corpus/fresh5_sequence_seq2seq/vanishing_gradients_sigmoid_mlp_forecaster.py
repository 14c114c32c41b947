# expect: vanishing_gradients
# allow: saturated_activations, non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: planted (10 sigmoid layers): |grad| first layer / last layer = 1.2e-8, val_mse 0.633 = target variance 0.633 (learns nothing); control (ReLU): ratio 0.26, val_mse 0.062
# control: --control
"""Deep MLP forecaster (N-BEATS-like single deep stack, no residual blocks) for a noisy
multi-seasonal series. Planted: the author swapped ReLU for Sigmoid "to keep activations
bounded" in a 10-hidden-layer plain MLP with default init: gradients shrink by orders of
magnitude toward the input layers and the early layers barely move.
--control: same network with ReLU.
"""
import json, sys
import numpy as np
import torch
from torch import nn

control = "--control" in sys.argv
torch.set_num_threads(1)
np.random.seed(31)
torch.manual_seed(31)

LOOK, HOR = 36, 6


def make(nser, per):
    xs, ys = [], []
    for _ in range(nser):
        n = LOOK + HOR + per
        t = np.arange(n)
        s = (np.random.uniform(0.5, 1.5) * np.sin(2 * np.pi * t / np.random.choice([6, 9, 12]) + np.random.uniform(0, 6))
             + 0.5 * np.sin(2 * np.pi * t / 18 + np.random.uniform(0, 6)) + np.random.randn(n) * 0.2)
        for k in range(0, per, 2):
            xs.append(s[k:k + LOOK]); ys.append(s[k + LOOK:k + LOOK + HOR])
    return torch.tensor(np.array(xs), dtype=torch.float32), torch.tensor(np.array(ys), dtype=torch.float32)


Xtr, Ytr = make(150, 40)
Xva, Yva = make(50, 20)
act = nn.ReLU if control else nn.Sigmoid
layers, width, d = [], 96, LOOK
for _ in range(10):
    layers += [nn.Linear(d, width), act()]
    d = width
layers.append(nn.Linear(width, HOR))
net = nn.Sequential(*layers)

opt = torch.optim.Adam(net.parameters(), lr=1e-3)
lossf = nn.MSELoss()
first, last = net[0], net[-1]
for epoch in range(10):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), 64):
        idx = perm[i:i + 64]
        loss = lossf(net(Xtr[idx]), Ytr[idx])
        opt.zero_grad()
        loss.backward()
        g_first, g_last = first.weight.grad.norm().item(), last.weight.grad.norm().item()
        opt.step()
    with torch.no_grad():
        vm = lossf(net(Xva), Yva).item()
    print(f"epoch {epoch} train_mse {loss.item():.4f} val_mse {vm:.4f} |grad| first {g_first:.2e} last {g_last:.2e}")

with torch.no_grad():
    tm = lossf(net(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(Yva.var().item(), 4),
                                     "grad_ratio_first_over_last": float(f"{g_first / g_last:.3e}")}))
