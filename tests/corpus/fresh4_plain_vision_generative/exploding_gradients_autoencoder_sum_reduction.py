# expect: exploding_gradients
# allow: learning_rate_too_high, non_finite, non_convergence
# forbid: *
# evidence: planted (hand-written loss summed over batch and pixels, lr tuned for a mean) largest finite grad-norm 1.0e12, then NaN within epoch 0, val_mse nan; control (mean) val_mse 0.0151 vs target var 0.096, max grad norm 0.17
# control: --control
"""Convolutional autoencoder (16x16 -> 32-d code -> 16x16) for glyph images, SGD + momentum."""
import json
import sys

import numpy as np
import torch
from torch import nn

MEAN_LOSS = "--control" in sys.argv
LR = 0.3
EPOCHS = 6
BATCH = 32

torch.set_num_threads(1)
torch.manual_seed(8)
rng = np.random.default_rng(8)


def glyph_bank(n):
    """Random 'glyphs': a few thick strokes between points on a 4x4 lattice, blurred a little."""
    imgs = np.zeros((n, 16, 16), np.float32)
    pts = np.array([(y, x) for y in (2, 6, 9, 13) for x in (2, 6, 9, 13)])
    for i in range(n):
        for _ in range(rng.integers(2, 5)):
            a, b = pts[rng.choice(16, 2, replace=False)]
            for t in np.linspace(0, 1, 20):
                y, x = (a + t * (b - a)).round().astype(int)
                imgs[i, max(y - 1, 0):y + 1, max(x - 1, 0):x + 1] = 1.0
    k = np.array([0.25, 0.5, 0.25])
    imgs = np.apply_along_axis(lambda r: np.convolve(r, k, "same"), 2, imgs)
    imgs = np.apply_along_axis(lambda c: np.convolve(c, k, "same"), 1, imgs)
    return torch.from_numpy(imgs.astype(np.float32)).unsqueeze(1)


class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(),        # 8x8
            nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),       # 4x4
            nn.Flatten(), nn.Linear(32 * 16, 32))
        self.dec = nn.Sequential(
            nn.Linear(32, 32 * 16), nn.ReLU(), nn.Unflatten(1, (32, 4, 4)),
            nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, 2, 1))

    def forward(self, x):
        return self.dec(self.enc(x))


def recon_loss(out, target):
    err = (out - target) ** 2
    return err.mean() if MEAN_LOSS else err.sum()


train, val = glyph_bank(1200), glyph_bank(300)
ae = AE()
opt = torch.optim.SGD(ae.parameters(), lr=LR, momentum=0.9)
max_gn = 0.0
for ep in range(EPOCHS):
    ae.train()
    order = torch.randperm(len(train))
    tl, gns = [], []
    for s in range(0, len(train), BATCH):
        x = train[order[s:s + BATCH]]
        loss = recon_loss(ae(x), x)
        opt.zero_grad()
        loss.backward()
        gn = torch.norm(torch.stack([p.grad.norm() for p in ae.parameters()])).item()
        gns.append(gn)
        if np.isfinite(gn):
            max_gn = max(max_gn, gn)          # largest finite gradient norm seen
        opt.step()
        tl.append(loss.item() / (1 if MEAN_LOSS else x.numel()))   # per-pixel mse for logging
    ae.eval()
    with torch.no_grad():
        vmse = ((ae(val) - val) ** 2).mean().item()
    print(f"epoch {ep}: train_mse {np.mean(tl):.5f} val_mse {vmse:.5f} grad_norm median {np.median(gns):.3g} max {max(gns):.3g}")

clean = lambda v: None if not np.isfinite(v) else round(float(v), 6)
print("CORPUS_METRIC " + json.dumps({"train_loss": clean(np.mean(tl)), "val_loss": clean(vmse), "val_mse": clean(vmse),
                                     "target_var": round(val.var().item(), 5), "max_grad_norm": clean(max_gn)}))
