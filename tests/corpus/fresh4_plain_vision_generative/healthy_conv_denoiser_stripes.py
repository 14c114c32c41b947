# expect:
# allow:
# forbid: *
# evidence: held-out denoised MSE 0.0054 vs noisy-input MSE 0.040 (8.7 dB gain); clean-pixel variance 0.107
import argparse
import json
import math

import torch
from torch import nn
import torch.nn.functional as F

# ---------------------------------------------------------------- data
def stripe_images(n, size=16, seed=0):
    """Oriented sinusoidal gratings with random frequency/phase, sometimes two superimposed."""
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.arange(size).float(), torch.arange(size).float(), indexing="ij")
    theta = torch.rand(n, 1, 1, generator=g) * math.pi
    freq = 0.15 + 0.35 * torch.rand(n, 1, 1, generator=g)
    phase = torch.rand(n, 1, 1, generator=g) * 2 * math.pi
    img = torch.sin(freq * (xx * torch.cos(theta) + yy * torch.sin(theta)) + phase)
    second = (torch.rand(n, 1, 1, generator=g) < 0.3).float()
    theta2 = torch.rand(n, 1, 1, generator=g) * math.pi
    img = img + second * torch.sin(freq * (xx * torch.cos(theta2) + yy * torch.sin(theta2)))
    img = img / img.abs().amax(dim=(1, 2), keepdim=True)
    return (0.5 + 0.5 * img).unsqueeze(1)           # in [0, 1]


# ---------------------------------------------------------------- model
def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Denoiser(nn.Module):
    def __init__(self, w=16):
        super().__init__()
        self.enc1 = block(1, w)
        self.enc2 = nn.Sequential(nn.MaxPool2d(2), block(w, 2 * w))
        self.mid = block(2 * w, 2 * w)
        self.up = nn.ConvTranspose2d(2 * w, w, 2, stride=2)
        self.dec = nn.Sequential(block(2 * w, w), nn.Conv2d(w, 1, 1))

    def forward(self, x):
        e1 = self.enc1(x)
        m = self.mid(self.enc2(e1))
        d = self.dec(torch.cat([self.up(m), e1], 1))
        return x - d                                   # predict the noise (residual learning)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=7)
    p.add_argument("--bs", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--sigma", type=float, default=0.2)
    args = p.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(0)
    train = stripe_images(768, seed=1)
    val = stripe_images(256, seed=2)
    val_noisy = val + args.sigma * torch.randn(val.shape, generator=torch.Generator().manual_seed(3))

    model = Denoiser()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * (len(train) // args.bs)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.15)

    for ep in range(args.epochs):
        model.train()
        perm = torch.randperm(len(train))
        tot = 0.0
        for i in range(0, len(train) - args.bs + 1, args.bs):
            clean = train[perm[i:i + args.bs]]
            noisy = clean + args.sigma * torch.randn_like(clean)   # fresh noise every step
            loss = F.mse_loss(model(noisy), clean)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            vmse = F.mse_loss(model(val_noisy), val).item()
        print(f"epoch {ep + 1}: train_mse {tot / (len(train) // args.bs):.5f}  val_mse {vmse:.5f}")

    baseline = F.mse_loss(val_noisy, val).item()
    print(f"noisy-input baseline mse {baseline:.5f}; denoised {vmse:.5f} ({10 * math.log10(baseline / vmse):.1f} dB gain)")
    print("CORPUS_METRIC " + json.dumps({
        "train_loss": round(tot / (len(train) // args.bs), 6), "val_loss": round(vmse, 6),
        "val_mse": round(vmse, 6), "noisy_baseline_mse": round(baseline, 6),
        "target_var": round(val.var().item(), 5),
    }))


if __name__ == "__main__":
    main()
