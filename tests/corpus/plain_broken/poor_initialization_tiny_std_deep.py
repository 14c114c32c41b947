# expect: poor_initialization
# allow: vanishing_gradients, non_convergence, high_bias, learning_rate_too_low
# forbid: *
# evidence: planted (N(0, 0.01^2), 10 tanh layers): activation std at init 3.0e-2 (layer 1) -> 3.1e-12 (layer 10), val_mse 0.344 = target var 0.344 (nothing learned); control (Xavier, gain 5/3): act std 0.56-0.66 at every depth, val_mse 0.038
# control: --control
"""Deep (10 hidden layers) tanh regression MLP initialised with N(0, 0.01^2) weights: each layer
shrinks the signal ~12x, so at the top the activations are ~1e-11 of the input scale.
Control: Xavier init (gain 5/3)."""
import json
import sys

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(123)
CONTROL = "--control" in sys.argv


def init_weights(m):
    if isinstance(m, nn.Linear):
        if CONTROL:
            nn.init.xavier_uniform_(m.weight, gain=5 / 3)
        else:
            nn.init.normal_(m.weight, mean=0.0, std=0.01)
        nn.init.zeros_(m.bias)


def make_model(width=64, depth=10):
    mods = [nn.Linear(8, width), nn.Tanh()]
    for _ in range(depth - 1):
        mods += [nn.Linear(width, width), nn.Tanh()]
    mods.append(nn.Linear(width, 1))
    net = nn.Sequential(*mods)
    net.apply(init_weights)
    return net


gen = torch.Generator().manual_seed(0)
W = torch.randn(8, 4, generator=gen)
W = W / W.norm(dim=0)


def target(x):
    return (torch.sin(x @ W[:, :2]).sum(1) + 0.5 * (x @ W[:, 2]) * torch.tanh(x @ W[:, 3])).unsqueeze(1) / 2


x_tr = torch.randn(3000, 8, generator=gen)
y_tr = target(x_tr) + 0.05 * torch.randn(3000, 1, generator=gen)
x_va = torch.randn(800, 8, generator=gen)
y_va = target(x_va)

net = make_model()
with torch.no_grad():
    h, stds = x_va, []
    for m in net:
        h = m(h)
        if isinstance(m, nn.Tanh):
            stds.append(h.std().item())
print("activation std per hidden layer at init: " + " ".join(f"{s:.1e}" for s in stds))

opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9)
mse = nn.MSELoss()
for epoch in range(15):
    perm = torch.randperm(3000)
    for k in range(0, 3000, 64):
        b = perm[k:k + 64]
        loss = mse(net(x_tr[b]), y_tr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        vm = mse(net(x_va), y_va).item()
        tm = mse(net(x_tr), y_tr).item()
    print(f"epoch {epoch + 1:2d}/15  train_mse={tm:.4f}  val_mse={vm:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "train_mse": round(tm, 5),
                                     "target_var": round(y_va.var().item(), 4),
                                     "init_act_std_first": float(f"{stds[0]:.3g}"),
                                     "init_act_std_last": float(f"{stds[-1]:.3g}")}))
