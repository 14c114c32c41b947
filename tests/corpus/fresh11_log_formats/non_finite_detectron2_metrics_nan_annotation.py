# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted (1 of 640 train boxes NaN): loss_box_reg NaN at iteration 25, metrics.json has finite losses only at iteration 19 and NaN total_loss/loss_cls/loss_box_reg on every line from 39 to 599; all 155511 weights end NaN, bbox/AP 0.0, class acc 0.287 (chance 0.33). Control (the NaN annotation dropped, 639 images): no non-finite loss, bbox/AP 50.8, AP50 89.5, class acc 0.950
# control: --control
# native-log: metrics.json
# log-expect: non_finite
# log-allow: exploding_gradients, non_convergence
"""A detectron2-like training whose dataset has one corrupted annotation with NaN box coordinates.

The annotations came through a CSV -> COCO conversion where one row's bbox failed to parse and was
stored as NaN.  Nothing filters it (detectron2's mapper only drops *empty* boxes) and this custom
loop writes metrics.json without SimpleTrainer's isfinite check, so the run keeps going: the first
batch holding that image makes the box-regression target NaN, the gradient NaN, and every weight
NaN from then on.  metrics.json is detectron2's JSONWriter format (20-iteration medians,
eval results merged into the line of the eval iteration).  --control drops annotations whose box is
not finite (what a careful dataset loader does); nothing else changes.
"""
import json
import math
import os
import random
import sys
import tempfile
import time

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
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="d2_nan_")
os.makedirs(LOG_DIR, exist_ok=True)

S, NC = 16, 3
CLASSES = ["block", "frame", "cross"]
BASE_LR, MAX_ITER, STEPS, WARMUP_ITERS, WARMUP_FACTOR = 0.02, 600, (400, 520), 100, 1e-3
IMS_PER_BATCH, EVAL_PERIOD, LOG_PERIOD = 16, 200, 20
ANCHOR = torch.tensor([4.0, 4.0, 12.0, 12.0])
BBOX_WEIGHTS = (10.0, 10.0, 5.0, 5.0)
SCALE_CLAMP = math.log(1000.0 / 16)


def make_shapes(n, rng):
    X = rng.normal(0, 0.15, (n, 1, S, S)).astype(np.float32)
    boxes = np.zeros((n, 4), np.float32)
    cls = rng.randint(0, NC, n)
    for i in range(n):
        w, h = rng.randint(3, 12), rng.randint(3, 12)
        x1, y1 = rng.randint(0, S - w + 1), rng.randint(0, S - h + 1)
        x2, y2 = x1 + w, y1 + h
        if cls[i] == 0:
            X[i, 0, y1:y2, x1:x2] += 1
        elif cls[i] == 1:
            X[i, 0, y1:y2, x1] += 1
            X[i, 0, y1:y2, x2 - 1] += 1
            X[i, 0, y1, x1:x2] += 1
            X[i, 0, y2 - 1, x1:x2] += 1
        else:
            X[i, 0, y1:y2, (x1 + x2) // 2] += 1
            X[i, 0, (y1 + y2) // 2, x1:x2] += 1
        boxes[i] = [x1, y1, x2, y2]
    return torch.tensor(X), torch.tensor(boxes), torch.tensor(cls)


rng = np.random.RandomState(1)
Xtr, Btr, Ctr = make_shapes(640, rng)
Xva, Bva, Cva = make_shapes(300, rng)
CORRUPT = 400
Btr[CORRUPT] = float("nan")                 # the row whose bbox failed to parse
if CONTROL:                                  # the fix: drop annotations with a non-finite box
    keep = torch.isfinite(Btr).all(1)
    Xtr, Btr, Ctr = Xtr[keep], Btr[keep], Ctr[keep]
print(f"train images: {len(Xtr)}, non-finite boxes: {int((~torch.isfinite(Btr).all(1)).sum())}")


def get_deltas(src, tgt):
    wx, wy, ww, wh = BBOX_WEIGHTS
    sw, sh = src[..., 2] - src[..., 0], src[..., 3] - src[..., 1]
    sx, sy = src[..., 0] + 0.5 * sw, src[..., 1] + 0.5 * sh
    tw, th = tgt[..., 2] - tgt[..., 0], tgt[..., 3] - tgt[..., 1]
    tx, ty = tgt[..., 0] + 0.5 * tw, tgt[..., 1] + 0.5 * th
    return torch.stack([wx * (tx - sx) / sw, wy * (ty - sy) / sh, ww * torch.log(tw / sw), wh * torch.log(th / sh)], -1)


def apply_deltas(d, src):
    wx, wy, ww, wh = BBOX_WEIGHTS
    sw, sh = src[2] - src[0], src[3] - src[1]
    sx, sy = src[0] + 0.5 * sw, src[1] + 0.5 * sh
    dw = (d[:, 2] / ww).clamp(max=SCALE_CLAMP)
    dh = (d[:, 3] / wh).clamp(max=SCALE_CLAMP)
    cx, cy = d[:, 0] / wx * sw + sx, d[:, 1] / wy * sh + sy
    w, h = torch.exp(dw) * sw, torch.exp(dh) * sh
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], 1)


def box_iou(a, b):
    ix = (torch.min(a[:, 2], b[:, 2]) - torch.max(a[:, 0], b[:, 0])).clamp(min=0)
    iy = (torch.min(a[:, 3], b[:, 3]) - torch.max(a[:, 1], b[:, 1])).clamp(min=0)
    inter = ix * iy
    ua = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
    return inter / ua.clamp(min=1e-7)


class BoxNet(nn.Module):
    def __init__(self):
        super().__init__()
        def block(i, o, s):
            return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU())
        self.backbone = nn.Sequential(block(1, 16, 1), block(16, 32, 2), block(32, 64, 2), nn.Flatten(),
                                      nn.Linear(64 * 16, 128), nn.ReLU())
        self.cls_score = nn.Linear(128, NC)
        self.bbox_pred = nn.Linear(128, 4)
        nn.init.normal_(self.cls_score.weight, std=0.01)
        nn.init.normal_(self.bbox_pred.weight, std=0.001)
        nn.init.zeros_(self.cls_score.bias)
        nn.init.zeros_(self.bbox_pred.bias)

    def forward(self, x):
        h = self.backbone(x)
        return self.cls_score(h), self.bbox_pred(h)


def ap_allpoint(tp, conf, n_gt):
    order = np.argsort(-conf)
    tpc, fpc = np.cumsum(tp[order]), np.cumsum(1 - tp[order])
    rec = tpc / max(n_gt, 1)
    prec = tpc / np.maximum(tpc + fpc, 1e-9)
    mrec = np.concatenate([[0.0], rec, [1.0]])
    mpre = np.flip(np.maximum.accumulate(np.flip(np.concatenate([[1.0], prec, [0.0]]))))
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


def evaluate(model):
    model.eval()
    with torch.no_grad():
        logits, deltas = model(Xva)
    model.train()
    prob = logits.softmax(1)
    conf, pcls = prob.max(1)
    ious = np.nan_to_num(box_iou(apply_deltas(deltas, ANCHOR), Bva).numpy())
    conf, pcls, gcls = np.nan_to_num(conf.numpy()), pcls.numpy(), Cva.numpy()
    thr = np.linspace(0.5, 0.95, 10)
    ap = np.zeros((NC, len(thr)))
    for c in range(NC):
        sel = pcls == c
        for k, t in enumerate(thr):
            ap[c, k] = ap_allpoint(((gcls[sel] == c) & (ious[sel] >= t)).astype(float), conf[sel], int((gcls == c).sum()))
    res = {"bbox/AP": 100 * ap.mean(), "bbox/AP50": 100 * ap[:, 0].mean(), "bbox/AP75": 100 * ap[:, 5].mean()}
    for c, name in enumerate(CLASSES):
        res[f"bbox/AP-{name}"] = 100 * ap[c].mean()
    return res, float((pcls == gcls).mean())


def lr_factor(it):
    f = 0.1 ** sum(it >= s for s in STEPS)
    if it < WARMUP_ITERS:
        alpha = it / WARMUP_ITERS
        f *= WARMUP_FACTOR * (1 - alpha) + alpha
    return f


model = BoxNet()
opt = torch.optim.SGD(model.parameters(), lr=BASE_LR, momentum=0.9, weight_decay=1e-4)
path = os.path.join(LOG_DIR, "metrics.json")
open(path, "w").close()
window = {"total_loss": [], "loss_cls": [], "loss_box_reg": [], "fast_rcnn/cls_accuracy": [], "time": [], "data_time": []}
t_start = time.perf_counter()
order = torch.randperm(len(Xtr))
pos = 0
first_bad = None
for it in range(MAX_ITER):
    t0 = time.perf_counter()
    if pos + IMS_PER_BATCH > len(order):
        order, pos = torch.randperm(len(Xtr)), 0
    b = order[pos:pos + IMS_PER_BATCH]
    pos += IMS_PER_BATCH
    xb, bb, cb = Xtr[b], Btr[b], Ctr[b]
    t_data = time.perf_counter() - t0
    for g in opt.param_groups:
        g["lr"] = BASE_LR * lr_factor(it)
    logits, deltas = model(xb)
    loss_cls = F.cross_entropy(logits, cb)
    target = get_deltas(ANCHOR.expand_as(bb), bb)
    loss_box_reg = F.smooth_l1_loss(deltas, target, beta=1.0, reduction="sum") / len(b)
    total = loss_cls + loss_box_reg
    if not math.isfinite(total.item()) and first_bad is None:
        first_bad = it
        print(f"WARNING: loss became non-finite at iteration {it} (loss_cls={loss_cls.item()}, loss_box_reg={loss_box_reg.item()})")
    opt.zero_grad()
    total.backward()
    opt.step()
    window["total_loss"].append(total.item())
    window["loss_cls"].append(loss_cls.item())
    window["loss_box_reg"].append(loss_box_reg.item())
    window["fast_rcnn/cls_accuracy"].append((logits.argmax(1) == cb).float().mean().item())
    window["data_time"].append(t_data)
    window["time"].append(time.perf_counter() - t0)
    line = None
    if (it + 1) % LOG_PERIOD == 0 or it == MAX_ITER - 1:
        line = {k: float(np.median(v[-LOG_PERIOD:])) for k, v in window.items()}
        line["rank_data_time"] = line["data_time"]
        line["lr"] = opt.param_groups[0]["lr"]
        line["iteration"] = it
        line["eta_seconds"] = float(np.median(window["time"][-LOG_PERIOD:]) * (MAX_ITER - it - 1))
    if (it + 1) % EVAL_PERIOD == 0 or it == MAX_ITER - 1:
        res, acc = evaluate(model)
        line = dict(line or {"iteration": it}, **res)
        print(f"[eval] iter {it}: " + ", ".join(f"{k}={v:.2f}" for k, v in res.items()) + f", cls_acc={acc:.3f}")
    if line is not None:
        with open(path, "a") as f:
            f.write(json.dumps(line, sort_keys=True) + "\n")
        print(f"iter: {it}  total_loss: {line['total_loss']:.3f}  loss_cls: {line['loss_cls']:.3f}  "
              f"loss_box_reg: {line['loss_box_reg']:.3f}  lr: {line['lr']:.6f}")

print(f"Overall training speed: {MAX_ITER} iterations in {time.perf_counter() - t_start:.1f} s")
n_nan_w = sum(int((~torch.isfinite(p)).sum()) for p in model.parameters())
print(f"first non-finite loss at iteration {first_bad}; non-finite weights at the end: {n_nan_w}")
train_total = line["total_loss"] if math.isfinite(line["total_loss"]) else None
print("CORPUS_METRIC " + json.dumps({"first_nonfinite_iter": first_bad, "val_bbox_AP": round(res["bbox/AP"], 2), "val_bbox_AP50": round(res["bbox/AP50"], 2),
                                      "val_cls_acc": round(acc, 4), "train_total_loss": train_total,
                                      "chance_acc": round(1 / NC, 4)}))
