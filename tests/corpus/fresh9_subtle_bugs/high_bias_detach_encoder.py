# expect: high_bias
# allow: vanishing_gradients, non_convergence
# forbid: *
# evidence: planted (encoder output .detach()ed) train_loss 1.33 (ln4=1.386), val_loss 1.32, val_acc 0.693 after 10 epochs; control (no detach) train_loss 0.033, val_loss 0.035, val_acc 0.988 (chance 0.25)
# control: --control
# A small CNN whose forward() computes the loss itself. The author copied `.detach()` from a
# target-network snippet onto the encoder output, so no gradient ever reaches the conv
# layers: only the linear classifier on top of random conv features is trained.
import argparse, json, math
import torch
from torch import nn
import torch.nn.functional as F


def gratings(n, g):
    """4 classes = 4 orientations of a noisy sinusoidal grating, random phase/frequency."""
    ys = torch.randint(0, 4, (n,), generator=g)
    ang = ys.float() * math.pi / 4 + 0.15 * torch.randn(n, generator=g)
    freq = 0.6 + 0.5 * torch.rand(n, generator=g)
    phase = 2 * math.pi * torch.rand(n, generator=g)
    r = torch.arange(16).float() - 7.5
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    proj = xx[None] * torch.cos(ang)[:, None, None] + yy[None] * torch.sin(ang)[:, None, None]
    img = torch.sin(freq[:, None, None] * proj + phase[:, None, None])
    img = img + 0.8 * torch.randn(n, 16, 16, generator=g)
    return img.unsqueeze(1), ys


class Classifier(nn.Module):
    def __init__(self, stop_grad):
        super().__init__()
        self.stop_grad = stop_grad
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(16, 4)

    def forward(self, x, y=None):
        z = self.encoder(x)
        if self.stop_grad:
            z = z.detach()
        logits = self.head(z)
        loss = F.cross_entropy(logits, y) if y is not None else None
        return logits, loss


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.manual_seed(0); torch.set_num_threads(1)
    g = torch.Generator().manual_seed(42)
    xtr, ytr = gratings(2000, g); xva, yva = gratings(600, g)
    m = Classifier(stop_grad=not a.control)
    opt = torch.optim.Adam(m.parameters(), lr=3e-3)
    for ep in range(10):
        m.train(); perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
        for i in range(0, len(xtr), 64):
            b = perm[i:i + 64]
            _, loss = m(xtr[b], ytr[b])
            opt.zero_grad(); loss.backward(); opt.step()
            tot += loss.item(); nb += 1
        m.eval()
        with torch.no_grad():
            logits, vloss = m(xva, yva)
        vacc = (logits.argmax(1) == yva).float().mean().item()
        print(f"ep{ep} train_loss={tot/nb:.4f} val_loss={vloss.item():.4f} val_acc={vacc:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": vloss.item(), "val_acc": vacc, "train_loss": tot / nb, "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
