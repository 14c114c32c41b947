# expect:
# allow:
# forbid: *
# evidence: val pixel acc 0.9825 (all-background 0.869), mean foreground IoU 0.895, val CE 0.049
"""A tiny U-Net (two down / two up stages, BatchNorm, skip concatenations) segmenting 24x24
synthetic images into background / disc / bar, trained with per-pixel cross-entropy plus a soft
Dice loss, Adam. Images have noise and a smooth illumination gradient. Evaluated by pixel
accuracy and mean foreground IoU on held-out images.
"""
import json

import torch
from torch import nn
from torch.nn import functional as F


def make_images(n, g, s=24):
    yy, xx = torch.meshgrid(torch.arange(s).float(), torch.arange(s).float(), indexing="ij")
    masks = torch.zeros(n, s, s, dtype=torch.long)
    for i in range(n):
        cx, cy, r = (torch.rand(3, generator=g) * torch.tensor([14, 14, 3]) + torch.tensor([5, 5, 3])).tolist()
        masks[i][(xx - cx) ** 2 + (yy - cy) ** 2 < r ** 2] = 1
        bx, by = (torch.rand(2, generator=g) * 16 + 2).tolist()
        if torch.rand(1, generator=g) < 0.5:
            bar = (xx >= bx) & (xx < bx + 7) & (yy >= by) & (yy < by + 2)
        else:
            bar = (xx >= bx) & (xx < bx + 2) & (yy >= by) & (yy < by + 7)
        masks[i][bar] = 2
    illum = (torch.rand(n, 1, 1, generator=g) * xx / s)
    img = masks.float() * 0.5 + illum + 0.3 * torch.randn(n, s, s, generator=g)
    return img.unsqueeze(1), masks


def block(ci, co):
    return nn.Sequential(nn.Conv2d(ci, co, 3, padding=1), nn.BatchNorm2d(co), nn.ReLU(),
                         nn.Conv2d(co, co, 3, padding=1), nn.BatchNorm2d(co), nn.ReLU())


class UNet(nn.Module):
    def __init__(self, k=3, c=12):
        super().__init__()
        self.e1, self.e2, self.mid = block(1, c), block(c, 2 * c), block(2 * c, 4 * c)
        self.u2, self.d2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, stride=2), block(4 * c, 2 * c)
        self.u1, self.d1 = nn.ConvTranspose2d(2 * c, c, 2, stride=2), block(2 * c, c)
        self.head = nn.Conv2d(c, k, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(F.max_pool2d(e1, 2))
        m = self.mid(F.max_pool2d(e2, 2))
        d2 = self.d2(torch.cat([self.u2(m), e2], 1))
        d1 = self.d1(torch.cat([self.u1(d2), e1], 1))
        return self.head(d1)


def dice_loss(logits, target, k=3, eps=1.0):
    p = logits.softmax(1)
    oh = F.one_hot(target, k).permute(0, 3, 1, 2).float()
    inter = (p * oh).sum((0, 2, 3))
    den = p.sum((0, 2, 3)) + oh.sum((0, 2, 3))
    return 1 - ((2 * inter + eps) / (den + eps))[1:].mean()


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, mtr = make_images(400, g)
    xva, mva = make_images(160, g)
    model = UNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 16):
            idx = perm[i:i + 16]
            out = model(xtr[idx])
            loss = F.cross_entropy(out, mtr[idx]) + dice_loss(out, mtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            pv = model(xva).argmax(1)
        print(f"epoch {epoch} loss {loss.item():.4f} val_pix_acc {(pv == mva).float().mean().item():.4f}")
    model.eval()
    with torch.no_grad():
        ov = model(xva)
        pv = ov.argmax(1)
        ious = []
        for c in (1, 2):
            inter = ((pv == c) & (mva == c)).sum().item()
            union = ((pv == c) | (mva == c)).sum().item()
            ious.append(inter / max(union, 1))
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(ov, mva).item(), 4),
        "val_pix_acc": round((pv == mva).float().mean().item(), 4),
        "val_mean_fg_iou": round(sum(ious) / 2, 4),
        "chance_pix_acc_all_background": round((mva == 0).float().mean().item(), 4),
    }))


if __name__ == "__main__":
    main()
