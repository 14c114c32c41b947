# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (ultralytics-style `fraction=0.25` left on: 60 of 240 train images, 40 epochs): train/box_loss 7.50 -> 0.15 and train/dfl_loss 4.27 -> 0.09 while val/box_loss stalls at 2.56-2.67 from epoch 24 on, val/dfl_loss bottoms at 2.84 (epoch 19) and ends 2.95, val/cls_loss flat 0.28-0.31; final mAP50 0.351, mAP50-95 0.150, class acc 0.570. Control (fraction=1.0, all 240 images, same epochs): val/box_loss 0.888, mAP50 0.761, mAP50-95 0.575, class acc 0.823 (chance 0.33)
# control: --control
# native-log: results.csv
# log-expect: overfitting
# log-allow: high_variance
"""A YOLO-like single-object detector on synthetic shapes trained on a debugging subset.

`fraction=0.25` (ultralytics' "train on a fraction of the dataset" option) was left on from a quick
smoke test, so the detector memorises 60 images.  results.csv follows ultralytics (header '%23s,',
values '%23.5g,'); losses are the gained ones ultralytics logs (box 7.5 * (1 - IoU), cls 0.5 * BCE,
dfl 1.5 * distribution focal loss); lr/pg0 is the bias group warming up from 0.1.
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 0
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="yolo_overfit_")
os.makedirs(LOG_DIR, exist_ok=True)

S, REG, NC = 16, 17, 3
EPOCHS, BS, LR0, LRF, MOMENTUM, WD = 40, 8, 0.01, 0.01, 0.937, 5e-4
WARMUP_EPOCHS, WARMUP_BIAS_LR, WARMUP_MOMENTUM = 3, 0.1, 0.8


def make_shapes(n, rng):
    X = rng.normal(0, 0.15, (n, 1, S, S)).astype(np.float32)
    boxes = np.zeros((n, 4), np.float32)
    cls = rng.randint(0, NC, n)
    for i in range(n):
        w, h = rng.randint(4, 11), rng.randint(4, 11)
        x1, y1 = rng.randint(0, S - w + 1), rng.randint(0, S - h + 1)
        x2, y2 = x1 + w, y1 + h
        if cls[i] == 0:      # filled block
            X[i, 0, y1:y2, x1:x2] += 1
        elif cls[i] == 1:    # hollow frame
            X[i, 0, y1:y2, x1] += 1
            X[i, 0, y1:y2, x2 - 1] += 1
            X[i, 0, y1, x1:x2] += 1
            X[i, 0, y2 - 1, x1:x2] += 1
        else:                # cross
            X[i, 0, y1:y2, (x1 + x2) // 2] += 1
            X[i, 0, (y1 + y2) // 2, x1:x2] += 1
        boxes[i] = [x1, y1, x2, y2]
    return torch.tensor(X), torch.tensor(boxes), torch.tensor(cls)


rng = np.random.RandomState(0)
Xtr, Btr, Ctr = make_shapes(240, rng)
Xva, Bva, Cva = make_shapes(300, rng)
FRACTION = 1.0 if CONTROL else 0.25      # ultralytics `fraction=` left at a debugging value
keep = int(round(len(Xtr) * FRACTION))
Xtr, Btr, Ctr = Xtr[:keep], Btr[:keep], Ctr[:keep]
print(f"train: {keep} images (fraction={FRACTION}), val: {len(Xva)} images")


def cbs(i, o, s):
    return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.SiLU())


class TinyDetector(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(cbs(1, 8, 1), cbs(8, 16, 2), cbs(16, 32, 2), nn.Flatten(),
                                      nn.Linear(32 * 16, 96), nn.SiLU())
        self.cls = nn.Linear(96, NC)
        self.reg = nn.Linear(96, 4 * REG)

    def forward(self, x):
        h = self.backbone(x)
        return self.cls(h), self.reg(h).view(-1, 4, REG)


PROJ = torch.arange(REG, dtype=torch.float32)


def decode(dist):
    return (dist.softmax(-1) * PROJ).sum(-1)


def box_iou(a, b):
    ix = (torch.min(a[:, 2], b[:, 2]) - torch.max(a[:, 0], b[:, 0])).clamp(min=0)
    iy = (torch.min(a[:, 3], b[:, 3]) - torch.max(a[:, 1], b[:, 1])).clamp(min=0)
    inter = ix * iy
    area_a = (a[:, 2] - a[:, 0]).clamp(min=0) * (a[:, 3] - a[:, 1]).clamp(min=0)
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / (area_a + area_b - inter + 1e-7)


def criterion(out, boxes, cls):
    logits, dist = out
    box = (1 - box_iou(decode(dist), boxes)).mean()
    t = boxes.clamp(0, REG - 1 - 0.01)
    tl = t.floor().long()
    wl = (tl + 1).float() - t
    flat = dist.reshape(-1, REG)
    dfl = (F.cross_entropy(flat, tl.view(-1), reduction="none") * wl.view(-1)
           + F.cross_entropy(flat, (tl + 1).view(-1), reduction="none") * (1 - wl).view(-1)).mean()
    bce = F.binary_cross_entropy_with_logits(logits, F.one_hot(cls, NC).float())
    return 7.5 * box, 0.5 * bce, 1.5 * dfl


def ap_allpoint(tp, conf, n_gt):
    if n_gt == 0:
        return 0.0
    order = np.argsort(-conf)
    tpc = np.cumsum(tp[order])
    fpc = np.cumsum(1 - tp[order])
    recall = tpc / n_gt
    precision = tpc / np.maximum(tpc + fpc, 1e-9)
    mrec = np.concatenate([[0.0], recall, [1.0]])
    mpre = np.concatenate([[1.0], precision, [0.0]])
    mpre = np.flip(np.maximum.accumulate(np.flip(mpre)))
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def det_metrics(logits, dist, boxes, cls):
    prob = logits.sigmoid()
    conf, pcls = prob.max(1)
    ious = box_iou(decode(dist), boxes).numpy()
    conf, pcls, cls = conf.numpy(), pcls.numpy(), cls.numpy()
    thr = np.linspace(0.5, 0.95, 10)
    ap = np.zeros((NC, len(thr)))
    for c in range(NC):
        sel = pcls == c
        for k, t in enumerate(thr):
            tp = ((cls[sel] == c) & (ious[sel] >= t)).astype(float)
            ap[c, k] = ap_allpoint(tp, conf[sel], int((cls == c).sum()))
    correct = (pcls == cls) & (ious >= 0.5)
    best = (0.0, 0.0, -1.0)
    for ct in np.linspace(0, 1, 101):
        ps, rs = [], []
        for c in range(NC):
            pred = (pcls == c) & (conf >= ct)
            tp = (pred & correct).sum()
            ps.append(tp / max(pred.sum(), 1))
            rs.append(tp / max((cls == c).sum(), 1))
        p, r = float(np.mean(ps)), float(np.mean(rs))
        f1 = 2 * p * r / (p + r + 1e-16)
        if f1 > best[2]:
            best = (p, r, f1)
    return best[0], best[1], float(ap[:, 0].mean()), float(ap.mean())


torch.manual_seed(SEED)
model = TinyDetector()
g_bias, g_w, g_bn = [], [], []
for mod in model.modules():
    for name, p in mod.named_parameters(recurse=False):
        if name == "bias":
            g_bias.append(p)
        elif isinstance(mod, nn.BatchNorm2d):
            g_bn.append(p)
        else:
            g_w.append(p)
opt = torch.optim.SGD(g_bias, lr=LR0, momentum=MOMENTUM, nesterov=True)
opt.add_param_group({"params": g_w, "weight_decay": WD})
opt.add_param_group({"params": g_bn, "weight_decay": 0.0})
for g in opt.param_groups:
    g["initial_lr"] = LR0


def lf(e):
    return (1 - e / EPOCHS) * (1.0 - LRF) + LRF


nb = (len(Xtr) + BS - 1) // BS
nw = max(round(WARMUP_EPOCHS * nb), 100)
keys = ["epoch", "train/box_loss", "train/cls_loss", "train/dfl_loss", "metrics/precision(B)",
        "metrics/recall(B)", "metrics/mAP50(B)", "metrics/mAP50-95(B)", "val/box_loss", "val/cls_loss",
        "val/dfl_loss", "lr/pg0", "lr/pg1", "lr/pg2"]
path = os.path.join(LOG_DIR, "results.csv")
with open(path, "w") as f:
    f.write(("%23s," * len(keys) % tuple(keys)).rstrip(",") + "\n")

for epoch in range(EPOCHS):
    model.train()
    idx = torch.randperm(len(Xtr))
    tloss = None
    for i in range(nb):
        ni = i + nb * epoch
        if ni <= nw:
            for j, g in enumerate(opt.param_groups):
                g["lr"] = float(np.interp(ni, [0, nw], [WARMUP_BIAS_LR if j == 0 else 0.0, g["initial_lr"] * lf(epoch)]))
                g["momentum"] = float(np.interp(ni, [0, nw], [WARMUP_MOMENTUM, MOMENTUM]))
        b = idx[i * BS:(i + 1) * BS]
        xb, bb = Xtr[b].clone(), Btr[b].clone()
        flip = torch.rand(len(b)) < 0.5           # fliplr=0.5 augmentation
        xb[flip] = xb[flip].flip(-1)
        bb[flip, 0], bb[flip, 2] = S - Btr[b][flip, 2], S - Btr[b][flip, 0]
        items = criterion(model(xb), bb, Ctr[b])
        opt.zero_grad()
        sum(items).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        cur = torch.stack([x.detach() for x in items])
        tloss = cur if tloss is None else (tloss * i + cur) / (i + 1)
    lrs = [g["lr"] for g in opt.param_groups]
    for g in opt.param_groups:               # scheduler.step()
        g["lr"] = g["initial_lr"] * lf(epoch + 1)
    model.eval()
    with torch.no_grad():
        logits, dist = model(Xva)
        vloss = [x.item() for x in criterion((logits, dist), Bva, Cva)]
        p, r, map50, map5095 = det_metrics(logits, dist, Bva, Cva)
        cls_acc = (logits.argmax(1) == Cva).float().mean().item()
    vals = [epoch + 1, *tloss.tolist(), p, r, map50, map5095, *vloss, *lrs]
    with open(path, "a") as f:
        f.write(("%23.5g," * len(vals) % tuple(vals)).rstrip(",") + "\n")
    print(f"{epoch + 1:>3}/{EPOCHS} box {tloss[0]:.3f} cls {tloss[1]:.3f} dfl {tloss[2]:.3f} | val box {vloss[0]:.3f} "
          f"cls {vloss[1]:.3f} dfl {vloss[2]:.3f} | P {p:.3f} R {r:.3f} mAP50 {map50:.3f} mAP50-95 {map5095:.3f} acc {cls_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_map50": round(map50, 4), "val_map50_95": round(map5095, 4),
                                      "val_cls_acc": round(cls_acc, 4), "val_box_loss": round(vloss[0], 4),
                                      "train_box_loss": round(float(tloss[0]), 4), "chance_acc": round(1 / NC, 4)}))
