"""Learning rate too low: the Adam learning rate was typed as 1e-6 (meant 1e-3), so
after the whole 10-epoch budget the keypoint net has barely moved from its init.
--control uses lr=1e-3.
Keypoint regression: a small CNN predicts a heat map over a 20x20 image and a
soft-argmax turns it into (x, y) coordinates of the tip of a synthetic "arrow"
(a bright blob at the tip plus a dimmer shaft, with background clutter). Trained
with SmoothL1 on normalised coordinates, Adam, batch 32. Reports the mean pixel
error on held-out images vs. always predicting the image centre."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr=1e-6): train loss 0.1529 -> 0.1529 over 10 epochs, relative weight change 1e-3..5e-3, val error 5.21 px (centre baseline 5.17); control (lr=1e-3): 0.52 px, weights change by 50-230%
# control: --control
# native-log:
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
rng = np.random.default_rng(0)
H = 20
yy, xx = np.mgrid[:H, :H]


def make(n):
    X = np.zeros((n, 1, H, H), np.float32); K = np.zeros((n, 2), np.float32)
    for i in range(n):
        ty, tx = rng.uniform(3, H - 3, 2)
        ang = rng.uniform(0, 2 * np.pi)
        img = 1.0 * np.exp(-((yy - ty) ** 2 + (xx - tx) ** 2) / 2.0)
        for s in np.linspace(1, 6, 6):
            sy, sx = ty + s * np.sin(ang), tx + s * np.cos(ang)
            img += 0.45 * np.exp(-((yy - sy) ** 2 + (xx - sx) ** 2) / 1.0)
        for _ in range(3):                                 # clutter
            cy, cx = rng.uniform(0, H, 2)
            img += 0.4 * np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 1.5)
        X[i, 0] = img + rng.normal(0, 0.1, (H, H)); K[i] = (tx, ty)
    return torch.tensor(X), torch.tensor(K)


class HeatmapNet(nn.Module):
    def __init__(self, c=16):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, c, 3, padding=2, dilation=2), nn.ReLU(),
                                 nn.Conv2d(c, c, 3, padding=4, dilation=4), nn.ReLU(), nn.Conv2d(c, 1, 1))
        g = torch.arange(H, dtype=torch.float32)
        self.register_buffer("gx", g.repeat(H, 1)); self.register_buffer("gy", g[:, None].repeat(1, H))

    def forward(self, x):
        logits = self.net(x).flatten(1)
        p = logits.softmax(-1).view(-1, H, H)
        return torch.stack([(p * self.gx).sum((1, 2)), (p * self.gy).sum((1, 2))], 1) / H   # normalised coords


Xtr, Ktr = make(1000); Xva, Kva = make(300)
CONTROL = "--control" in sys.argv
LR = 1e-3 if CONTROL else 1e-6
model = HeatmapNet()
opt = torch.optim.Adam(model.parameters(), lr=LR)
w0 = [p.detach().clone() for p in model.parameters()]
for epoch in range(10):
    model.train()
    p = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = p[i:i + 32]
        loss = F.smooth_l1_loss(model(Xtr[idx]), Ktr[idx] / H, beta=0.05)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        pred = model(Xva) * H
        vl = F.smooth_l1_loss(pred / H, Kva / H, beta=0.05).item()
        err = (pred - Kva).norm(dim=1).mean().item()
    print(f"epoch {epoch} train_loss {tot/len(Xtr):.5f} val_loss {vl:.5f} val_mean_px_error {err:.3f}")
rel = [((p.detach() - q).norm() / q.norm()).item() for p, q in zip(model.parameters(), w0) if p.dim() > 1]
print("relative weight change over training per conv layer:", [f"{r:.2e}" for r in rel])
centre_err = (Kva - H / 2).norm(dim=1).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_px_error": round(err, 4), "centre_baseline_px_error": round(centre_err, 4), "val_loss": round(vl, 5),
                                      "train_loss": round(tot / len(Xtr), 5)}))
