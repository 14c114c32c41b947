# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: planted (variance head = ReLU, loss uses log(var) and 1/var) loss becomes NaN at step 10, final val_mse nan; control (softplus + 1e-4) val_mse 0.0096 vs noisy-input mse 0.0343, val_nll -2.08
# control: --control
"""Denoiser that also predicts a per-pixel noise variance (the sensor noise is stronger at
the bottom of the frame). Trained with the Gaussian negative log-likelihood."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

FIX = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(2024)
SZ = 16


def clean_scenes(n, g):
    """1-3 bright rectangles / discs on a dark gradient background."""
    yy, xx = torch.meshgrid(torch.linspace(0, 1, SZ), torch.linspace(0, 1, SZ), indexing="ij")
    out = 0.2 * xx.expand(n, SZ, SZ).clone()
    for i in range(n):
        for _ in range(int(torch.randint(1, 4, (1,), generator=g))):
            cx, cy, r = torch.rand(3, generator=g) * torch.tensor([1.0, 1.0, 0.25]) + torch.tensor([0, 0, 0.1])
            if torch.rand(1, generator=g) < 0.5:
                m = ((xx - cx) ** 2 + (yy - cy) ** 2) < r ** 2
            else:
                m = ((xx - cx).abs() < r) & ((yy - cy).abs() < r)
            out[i][m] = 0.5 + 0.5 * torch.rand(1, generator=g)
    return out.unsqueeze(1)


NOISE_STD = torch.linspace(0.03, 0.3, SZ).view(1, 1, SZ, 1)     # row-dependent sensor noise


class ProbDenoiser(nn.Module):
    def __init__(self, ch=24):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, ch, 3, padding=1), nn.ReLU(),
            nn.Conv2d(ch, ch, 3, padding=1), nn.ReLU(),
            nn.Conv2d(ch, ch, 3, padding=1), nn.ReLU())
        self.mean_head = nn.Conv2d(ch, 1, 1)
        self.var_head = nn.Conv2d(ch + 1, 1, 1)
        nn.init.constant_(self.var_head.bias, 0.5)       # start at a moderate variance

    def forward(self, x):
        h = self.body(x)
        raw = self.var_head(torch.cat([h, x], 1))
        var = F.softplus(raw) + 1e-4 if FIX else F.relu(raw)
        return x + self.mean_head(h), var


def gaussian_nll(mu, var, target):
    return (0.5 * torch.log(var) + 0.5 * (target - mu) ** 2 / var).mean()


g = torch.Generator().manual_seed(0)
train_clean = clean_scenes(1024, g)
val_clean = clean_scenes(256, g)
val_noisy = val_clean + NOISE_STD * torch.randn(val_clean.shape, generator=g)

model = ProbDenoiser()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
first_nan = None
step = 0
for epoch in range(6):
    model.train()
    perm = torch.randperm(len(train_clean))
    run = []
    for i in range(0, len(train_clean), 32):
        clean = train_clean[perm[i:i + 32]]
        noisy = clean + NOISE_STD * torch.randn_like(clean)
        mu, var = model(noisy)
        loss = gaussian_nll(mu, var, clean)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if first_nan is None and not torch.isfinite(loss):
            first_nan = step
            print(f"  !! non-finite loss at step {step}")
        run.append(loss.item())
    model.eval()
    with torch.no_grad():
        mu, var = model(val_noisy)
        val_mse = F.mse_loss(mu, val_clean).item()
        val_nll = gaussian_nll(mu, var, val_clean).item()
    print(f"epoch {epoch}: train_nll {sum(run) / len(run):.4f} val_nll {val_nll:.4f} val_mse {val_mse:.5f}")

baseline = F.mse_loss(val_noisy, val_clean).item()
print(f"noisy input mse {baseline:.5f}")


def num(v):
    return round(v, 6) if v == v and abs(v) != float("inf") else None


print("CORPUS_METRIC " + json.dumps({"train_loss": num(sum(run) / len(run)), "val_loss": num(val_nll),
                                     "val_mse": num(val_mse), "noisy_baseline_mse": round(baseline, 6),
                                     "target_var": round(val_clean.var().item(), 5),
                                     "first_nonfinite_step": first_nan}))
