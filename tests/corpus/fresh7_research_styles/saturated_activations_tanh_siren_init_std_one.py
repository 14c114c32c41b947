# expect: saturated_activations
# allow: poor_initialization, overfitting, high_variance, vanishing_gradients
# forbid: *
# evidence: planted (hidden std 1.0): 46-81% of tanh outputs at |y|>0.99 per hidden layer at init and unchanged at the end; the saturated net memorises (train MSE 0.0038) but val MSE 0.253 ~ target variance 0.415 (R2 0.39) and rising; control (xavier, gain 5/3): <=3% saturated, val MSE 0.0038 (noise 0.0025)
# control: --control
"""Coordinate-MLP regression (NeRF/occupancy-network style, tanh activations, 5 hidden layers of
128) fitting a smooth 2-D signal plus noise from (x, y) coordinates with a Fourier-feature input
encoding; Adam, StepLR, a small "Trainer" class with train_step / eval_step and a
SmoothedValue-style running loss print.

Planted: init_weights() draws every hidden weight from N(0, 1) (std=1.0 instead of
xavier / 1/sqrt(fan_in)): tanh pre-activations are huge and 46-81% of hidden tanh outputs sit at
|y| > 0.99 from the first step; the net memorises the training points and generalises poorly. --control uses xavier_uniform_ with
gain=calculate_gain('tanh').
"""
import argparse, json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class CoordMLP(nn.Module):
    def __init__(self, n_freq=6, width=128, depth=5):
        super().__init__()
        self.register_buffer("freqs", 2.0 ** torch.arange(n_freq) * math.pi / 4)
        layers, d = [], 2 + 4 * n_freq
        for _ in range(depth):
            layers += [nn.Linear(d, width), nn.Tanh()]; d = width
        self.net = nn.Sequential(*layers); self.out = nn.Linear(width, 1)

    def encode(self, xy):
        a = xy[..., None] * self.freqs
        return torch.cat([xy, a.sin().flatten(1), a.cos().flatten(1)], 1)

    def forward(self, xy):
        return self.out(self.net(self.encode(xy))).squeeze(-1)


def signal(xy):
    x, y = xy[:, 0], xy[:, 1]
    return torch.sin(2.5 * x) * torch.cos(1.5 * y) + 0.5 * torch.exp(-((x - 0.5) ** 2 + (y + 0.3) ** 2) * 4)


class Trainer:
    def __init__(self, model, lr):
        self.model = model; self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        self.sched = torch.optim.lr_scheduler.StepLR(self.opt, 400, 0.3); self.smooth = None

    def train_step(self, xy, t):
        self.model.train(); loss = F.mse_loss(self.model(xy), t)
        self.opt.zero_grad(); loss.backward(); self.opt.step(); self.sched.step()
        self.smooth = loss.item() if self.smooth is None else 0.9 * self.smooth + 0.1 * loss.item()
        return loss.item()

    @torch.no_grad()
    def eval_step(self, xy, t):
        self.model.eval(); return F.mse_loss(self.model(xy), t).item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xy_tr = torch.rand(3000, 2, generator=g) * 2 - 1; t_tr = signal(xy_tr) + 0.05 * torch.randn(3000, generator=g)
    xy_va = torch.rand(1000, 2, generator=g) * 2 - 1; t_va = signal(xy_va) + 0.05 * torch.randn(1000, generator=g)
    model = CoordMLP()
    for m in model.net:  # hidden layers (the output layer keeps PyTorch's default init)
        if isinstance(m, nn.Linear):
            if args.control:
                nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("tanh"))
            else:
                nn.init.normal_(m.weight, 0.0, 1.0)
            nn.init.zeros_(m.bias)
    acts = []
    hooks = [m.register_forward_hook(lambda m, i, o: acts.append(o.detach())) for m in model.net if isinstance(m, nn.Tanh)]
    with torch.no_grad():
        model(xy_tr[:500])
    sat = [float((a.abs() > 0.99).float().mean()) for a in acts]
    for h in hooks:
        h.remove()
    print("probe: init fraction |tanh| > 0.99 per hidden layer: " + " ".join(f"{s:.2f}" for s in sat))
    tr = Trainer(model, lr=1e-3); bs = 100
    for it in range(1, 1201):
        idx = torch.randint(0, 3000, (bs,), generator=g)
        tr.train_step(xy_tr[idx], t_tr[idx])
        if it % 200 == 0:
            vm = tr.eval_step(xy_va, t_va)
            print(f"iter {it:5d}  loss {tr.smooth:.5f}  val_mse {vm:.5f}  lr {tr.opt.param_groups[0]['lr']:.1e}")
    acts.clear()
    hooks = [m.register_forward_hook(lambda m, i, o: acts.append(o.detach())) for m in model.net if isinstance(m, nn.Tanh)]
    with torch.no_grad():
        model(xy_tr[:500])
    print("probe: end fraction |tanh| > 0.99 per hidden layer: " + " ".join(f"{float((a.abs() > 0.99).float().mean()):.2f}" for a in acts))
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "target_var": round(t_va.var().item(), 5),
                                         "train_mse": round(tr.smooth, 5), "noise_var": 0.0025}))


if __name__ == "__main__":
    main()
