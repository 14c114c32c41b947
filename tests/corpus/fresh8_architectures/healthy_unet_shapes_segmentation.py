# expect:
# allow:
# forbid: *
# evidence: val pixel acc 0.986 (majority-background 0.854), mean foreground IoU 0.88, val CE 0.044, train CE 0.035
# small U-Net, synthetic images with a noisy disc + square; per-pixel CE over 3 classes (bg/disc/square) + soft Dice
import json, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0)

S = 24
yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")

def sample(n, seed):
    g = torch.Generator().manual_seed(seed)
    imgs = torch.zeros(n, 1, S, S); masks = torch.zeros(n, S, S, dtype=torch.long)
    for i in range(n):
        cy, cx = torch.randint(5, S - 5, (2,), generator=g).tolist()
        r = torch.randint(3, 6, (1,), generator=g).item()
        disc = (yy - cy) ** 2 + (xx - cx) ** 2 <= r * r
        sy, sx = torch.randint(0, S - 6, (2,), generator=g).tolist()
        sq = torch.zeros(S, S, dtype=torch.bool); sq[sy:sy + 6, sx:sx + 6] = True
        masks[i][sq] = 2; masks[i][disc] = 1
        imgs[i, 0] = disc.float() * 1.0 + sq.float() * 0.6
    imgs = imgs + 0.35 * torch.randn(imgs.shape, generator=g)
    return imgs, masks

Xtr, Mtr = sample(480, 1)
Xva, Mva = sample(150, 2)

def cbr(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))

class UNet(nn.Module):
    def __init__(s, c=8):
        super().__init__()
        s.e1, s.e2, s.mid = cbr(1, c), cbr(c, 2 * c), cbr(2 * c, 4 * c)
        s.u2, s.d2 = nn.ConvTranspose2d(4 * c, 2 * c, 2, 2), cbr(4 * c, 2 * c)
        s.u1, s.d1 = nn.ConvTranspose2d(2 * c, c, 2, 2), cbr(2 * c, c)
        s.out = nn.Conv2d(c, 3, 1)
    def forward(s, x):
        a = s.e1(x); b = s.e2(F.max_pool2d(a, 2)); m = s.mid(F.max_pool2d(b, 2))
        b = s.d2(torch.cat([s.u2(m), b], 1)); a = s.d1(torch.cat([s.u1(b), a], 1))
        return s.out(a)

def soft_dice(logits, target):
    p = logits.softmax(1); t = F.one_hot(target, 3).permute(0, 3, 1, 2).float()
    inter = (p * t).sum((0, 2, 3)); den = p.sum((0, 2, 3)) + t.sum((0, 2, 3))
    return 1 - ((2 * inter + 1) / (den + 1)).mean()

net = UNet()
opt = torch.optim.Adam(net.parameters(), lr=6e-3)
for ep in range(10):
    net.train(); perm = torch.randperm(len(Xtr)); tot = 0
    for k in range(0, len(Xtr), 32):
        j = perm[k:k + 32]
        out = net(Xtr[j])
        loss = F.cross_entropy(out, Mtr[j]) + soft_dice(out, Mtr[j])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(j)
    net.eval()
    with torch.no_grad():
        o = net(Xva); vl = F.cross_entropy(o, Mva).item(); pix = (o.argmax(1) == Mva).float().mean().item()
    print(f"ep {ep} train {tot/len(Xtr):.4f} val_ce {vl:.4f} val_pixacc {pix:.4f}")

with torch.no_grad():
    pred = net(Xva).argmax(1); ious = []
    for c in (1, 2):
        inter = ((pred == c) & (Mva == c)).sum().item(); uni = ((pred == c) | (Mva == c)).sum().item()
        ious.append(inter / uni)
    tr_ce = F.cross_entropy(net(Xtr), Mtr).item()
bg_frac = (Mva == 0).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(pix, 4), "train_loss": round(tr_ce, 4),
      "mean_fg_iou": round(sum(ious) / 2, 4), "chance_acc": round(bg_frac, 4)}))
