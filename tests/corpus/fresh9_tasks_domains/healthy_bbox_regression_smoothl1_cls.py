# expect:
# allow:
# forbid: *
# evidence: val class acc 0.84 (chance 0.33) and val mean IoU 0.76 (predicting the mean box: 0.19); val CE+5*SmoothL1 0.42 vs train 0.34, still falling
# Single-object localisation on 24x24 synthetic images: one shape (square / disc / cross) of random
# size and position on a noisy background. Small CNN with two heads: class logits (CE) and box
# (cx, cy, w, h) normalised to [0,1], SmoothL1 loss. Reports val accuracy and mean IoU.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)
torch.set_num_threads(1)
S = 24


def render(n, seed):
    g = torch.Generator().manual_seed(seed)
    imgs = 0.2 * torch.randn(n, 1, S, S, generator=g)
    cls = torch.randint(0, 3, (n,), generator=g)
    w = torch.randint(5, 13, (n,), generator=g)
    h = torch.where(cls == 0, w, torch.randint(5, 13, (n,), generator=g))
    x0 = (torch.rand(n, generator=g) * (S - w)).long()
    y0 = (torch.rand(n, generator=g) * (S - h)).long()
    yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")
    for i in range(n):
        inside_x = (xx >= x0[i]) & (xx < x0[i] + w[i])
        inside_y = (yy >= y0[i]) & (yy < y0[i] + h[i])
        box = inside_x & inside_y
        if cls[i] == 0:
            m = box
        elif cls[i] == 1:
            cx, cy = x0[i] + (w[i] - 1) / 2, y0[i] + (h[i] - 1) / 2
            m = box & (((xx - cx) / (w[i] / 2)) ** 2 + ((yy - cy) / (h[i] / 2)) ** 2 <= 1.0)
        else:
            cx, cy = x0[i] + w[i] // 2, y0[i] + h[i] // 2
            m = box & (((xx - cx).abs() <= 1) | ((yy - cy).abs() <= 1))
        imgs[i, 0][m] += 1.0
    boxes = torch.stack([(x0 + w / 2) / S, (y0 + h / 2) / S, w / S, h / S], 1).float()
    return imgs, cls, boxes


def iou(a, b):
    a1, a2 = a[:, :2] - a[:, 2:] / 2, a[:, :2] + a[:, 2:] / 2
    b1, b2 = b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2
    inter = (torch.min(a2, b2) - torch.max(a1, b1)).clamp(min=0).prod(1)
    return inter / (a[:, 2:].prod(1) + b[:, 2:].prod(1) - inter)


class Localizer(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(12, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
        self.trunk = nn.Sequential(nn.Linear(32 * (S // 8) ** 2, 128), nn.ReLU())
        self.cls_head = nn.Linear(128, 3)
        self.box_head = nn.Linear(128, 4)

    def forward(self, x):
        h = self.trunk(self.features(x))
        return self.cls_head(h), torch.sigmoid(self.box_head(h))


xtr, ctr, btr = render(1500, 1)
xva, cva, bva = render(400, 2)
net = Localizer()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
BOX_W = 5.0

for epoch in range(9):
    net.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]
        logits, box = net(xtr[b])
        loss = F.cross_entropy(logits, ctr[b]) + BOX_W * F.smooth_l1_loss(box, btr[b], beta=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        lv, bv = net(xva)
        v_cls = F.cross_entropy(lv, cva).item()
        v_box = F.smooth_l1_loss(bv, bva, beta=0.05).item()
        v_acc = (lv.argmax(1) == cva).float().mean().item()
        v_iou = iou(bv, bva).mean().item()
    print(f"epoch {epoch}: train_total {loss.item():.4f} val_cls {v_cls:.4f} val_box {v_box:.5f} acc {v_acc:.3f} mIoU {v_iou:.3f}")

with torch.no_grad():
    lt, bt = net(xtr)
    tr_loss = (F.cross_entropy(lt, ctr) + BOX_W * F.smooth_l1_loss(bt, btr, beta=0.05)).item()
    centre_iou = iou(bva.mean(0, keepdim=True).expand_as(bva), bva).mean().item()   # predict the mean box
print("CORPUS_METRIC " + json.dumps({"val_loss": round(v_cls + BOX_W * v_box, 4), "train_loss": round(tr_loss, 4),
                                      "val_acc": round(v_acc, 4), "val_miou": round(v_iou, 4),
                                      "chance_acc": 0.3333, "mean_box_miou": round(centre_iou, 4)}))
