# expect:
# allow:
# forbid: *
# evidence: AP50-like (class correct and IoU>0.5) 0.979 on held-out scenes (chance class 0.333), objectness acc 1.00, val total loss 0.214 -> 0.0069 across 5 evals
# native-log: metrics.json
# log-expect:
# log-allow:
"""detectron2-style SimpleTrainer loop, scaled down: a tiny "detector" over synthetic 24x24 images
containing one square of one of 3 classes. The model returns a dict of losses in training
({"loss_cls": CE, "loss_box_reg": smooth-L1 on normalised box (cx, cy, w, h), "loss_obj": BCE})
and predictions in eval; the trainer sums them, clips grads (CLIP_GRADIENTS.CLIP_VALUE 1.0, norm),
WarmupMultiStepLR (linear warm-up 30 iters, x0.1 at 70%, 90%), and a JSONWriter appends one JSON
line per 20 iterations to $CORPUS_LOG_DIR/metrics.json (iteration, total_loss, loss_*, lr) plus
eval lines (bbox/AP50-like accuracy). Healthy.
"""
import json, os, tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

cfg = {"SOLVER": {"BASE_LR": 0.02, "MAX_ITER": 300, "STEPS": (210, 270), "WARMUP_ITERS": 30, "IMS_PER_BATCH": 24,
                  "MOMENTUM": 0.9, "WEIGHT_DECAY": 1e-4, "CLIP_VALUE": 1.0},
       "TEST": {"EVAL_PERIOD": 60}, "LOSS_WEIGHTS": {"loss_cls": 1.0, "loss_box_reg": 2.0, "loss_obj": 0.5}}


def make_scenes(n, g):
    cls = torch.randint(0, 3, (n,), generator=g); has = torch.rand(n, generator=g) < 0.85
    s = torch.randint(5, 10, (n,), generator=g); x0 = (torch.rand(n, generator=g) * (24 - s)).long(); y0 = (torch.rand(n, generator=g) * (24 - s)).long()
    img = 0.3 * torch.randn(n, 3, 24, 24, generator=g)
    col = torch.eye(3)[cls]
    for i in range(n):
        if has[i]:
            img[i, :, y0[i]:y0[i] + s[i], x0[i]:x0[i] + s[i]] += col[i][:, None, None] * 1.5
    box = torch.stack([(x0 + s / 2) / 24, (y0 + s / 2) / 24, s / 24, s / 24], 1).float()
    return img, cls, box, has.float()


class TinyDetector(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.GroupNorm(8, 32), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 64, 3, padding=1), nn.GroupNorm(8, 64), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(64, 64, 3, padding=1), nn.GroupNorm(8, 64), nn.ReLU())
        self.box_head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 36, 128), nn.ReLU())
        self.cls_score = nn.Linear(128, 3); self.bbox_pred = nn.Linear(128, 4); self.objectness = nn.Linear(128, 1)

    def forward(self, images, targets=None):
        h = self.box_head(self.backbone(images))
        logits, boxes, obj = self.cls_score(h), self.bbox_pred(h).sigmoid(), self.objectness(h).squeeze(1)
        if targets is None:
            return {"scores": obj.sigmoid(), "pred_classes": logits.argmax(1), "pred_boxes": boxes}
        cls, box, has = targets; m = has > 0
        return {"loss_cls": F.cross_entropy(logits[m], cls[m]),
                "loss_box_reg": F.smooth_l1_loss(boxes[m], box[m], beta=0.05),
                "loss_obj": F.binary_cross_entropy_with_logits(obj, has)}


def iou(a, b):
    a1, a2 = a[:, :2] - a[:, 2:] / 2, a[:, :2] + a[:, 2:] / 2; b1, b2 = b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2
    inter = (torch.min(a2, b2) - torch.max(a1, b1)).clamp_min(0).prod(1)
    return inter / (a[:, 2:].prod(1) + b[:, 2:].prod(1) - inter)


def main():
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    xtr, ctr, btr, htr = make_scenes(1600, g); xva, cva, bva, hva = make_scenes(400, g)
    model = TinyDetector(); S = cfg["SOLVER"]; W = cfg["LOSS_WEIGHTS"]
    opt = torch.optim.SGD(model.parameters(), lr=S["BASE_LR"], momentum=S["MOMENTUM"], weight_decay=S["WEIGHT_DECAY"])
    out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(out_dir, exist_ok=True)
    mpath = os.path.join(out_dir, "metrics.json"); open(mpath, "w").close()
    hist = {}
    for iteration in range(S["MAX_ITER"]):
        warm = min(1.0, 0.001 + (1 - 0.001) * iteration / S["WARMUP_ITERS"])
        lr = S["BASE_LR"] * warm * (0.1 ** sum(iteration >= s for s in S["STEPS"]))
        for pg in opt.param_groups:
            pg["lr"] = lr
        model.train()
        idx = torch.randint(0, len(xtr), (S["IMS_PER_BATCH"],), generator=g)
        loss_dict = model(xtr[idx], (ctr[idx], btr[idx], htr[idx]))
        losses = sum(loss_dict[k] * W[k] for k in loss_dict)
        opt.zero_grad(); losses.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), S["CLIP_VALUE"]); opt.step()
        for k, v in loss_dict.items():
            hist.setdefault(k, []).append(v.item())
        hist.setdefault("total_loss", []).append(losses.item())
        if (iteration + 1) % 20 == 0:
            rec = {"iteration": iteration, "lr": lr, **{k: sorted(v[-20:])[10] for k, v in hist.items()}}
            print(f" iter: {iteration}  total_loss: {rec['total_loss']:.3f}  loss_cls: {rec['loss_cls']:.3f}  "
                  f"loss_box_reg: {rec['loss_box_reg']:.3f}  loss_obj: {rec['loss_obj']:.3f}  lr: {lr:.6f}")
            with open(mpath, "a") as f:
                f.write(json.dumps(rec) + "\n")
        if (iteration + 1) % cfg["TEST"]["EVAL_PERIOD"] == 0:
            model.eval()
            with torch.no_grad():
                vd = model(xva, (cva, bva, hva)); vtot = sum(vd[k] * W[k] for k in vd).item()
                pred = model(xva); m = hva > 0
                hit = ((pred["pred_classes"] == cva) & (iou(pred["pred_boxes"], bva) > 0.5))[m].float().mean().item()
                obj_acc = ((pred["scores"] > 0.5).float() == hva).float().mean().item()
            print(f"Evaluation: AP50-like {hit * 100:.2f}  objectness acc {obj_acc * 100:.2f}  val total_loss {vtot:.4f}")
            with open(mpath, "a") as f:
                f.write(json.dumps({"iteration": iteration, "bbox/AP50": hit * 100, "validation_loss": vtot}) + "\n")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vtot, 4), "val_acc": round(hit, 4), "val_cls_loss": round(vd["loss_cls"].item(), 4),
                                         "val_obj_acc": round(obj_acc, 4), "chance_acc": 0.333}))


if __name__ == "__main__":
    main()
