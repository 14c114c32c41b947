"""Trains a small MLP; at step --nan-at its lr jumps to 1e4, so the loss turns NaN a few steps later."""
import argparse, time
import torch, torch.nn as nn, torch.nn.functional as F
ap = argparse.ArgumentParser(); ap.add_argument("--steps", type=int, default=2000); ap.add_argument("--nan-at", type=int, default=300)
a = ap.parse_args()
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
x = torch.randn(4096, 20); y = (x @ torch.randn(20, 4)).argmax(1)
t0 = time.monotonic()
for step in range(1, a.steps + 1):
    if step == a.nan_at:
        for g in opt.param_groups: g["lr"] = 1e4
    i = torch.randint(0, len(x), (64,))
    loss = F.cross_entropy(model(x[i]), y[i])
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 500 == 0:
        print(f"step {step} loss {loss.item():.3f}", flush=True)
print("script finished", flush=True)
