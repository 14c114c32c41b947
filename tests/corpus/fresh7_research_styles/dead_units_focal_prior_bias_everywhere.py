# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, class_imbalance
# forbid: *
# evidence: planted (bias -4.6 on all Linears): 100% of units in all 4 hidden ReLU layers never fire, at init and after 10 epochs; val acc 0.148 (all background, chance 0.143), box L1 stuck at 0.597; control (prior bias on cls_score only): <=13% dead at init, 5% at end, val acc 0.799, box loss 0.058, total val loss 0.148 vs 0.873
# control: --control
"""detectron2 / RetinaNet-style classification head trained with sigmoid focal loss on synthetic
"anchor features" (16-D) with 6 foreground classes plus background (multi-label one-hot targets,
background = all zeros). Model returns a dict of losses that a criterion sums with weights
(loss_cls * 1.0 + loss_box_reg * 1.0, smooth-L1 box deltas on foreground anchors); the events-style
log line prints each loss. MLP head: 4 hidden ReLU layers of 128.

Planted: the "prior probability" bias init, bias = -log((1 - 0.01) / 0.01) = -4.6, meant only for the
final cls_score layer, is applied with model.apply() to EVERY Linear, so the hidden ReLU layers start
with bias -4.6 and most units never fire (probe: fraction of hidden units inactive on all inputs).
--control applies it to cls_score only (hidden biases 0).
"""
import argparse, json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """Same as torchvision.ops.sigmoid_focal_loss (fvcore)."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return loss.sum() if reduction == "sum" else loss.mean() if reduction == "mean" else loss


class RetinaHead(nn.Module):
    def __init__(self, num_classes=6, d=16, w=128, depth=4):
        super().__init__()
        layers, c = [], d
        for _ in range(depth):
            layers += [nn.Linear(c, w), nn.ReLU()]; c = w
        self.cls_subnet = nn.Sequential(*layers)
        self.cls_score = nn.Linear(w, num_classes); self.bbox_pred = nn.Linear(w, 4)

    def forward(self, x, targets=None):
        h = self.cls_subnet(x); logits = self.cls_score(h); deltas = self.bbox_pred(h)
        if targets is None:
            return logits, deltas
        cls_t, box_t = targets; fg = cls_t.sum(1) > 0
        loss_cls = sigmoid_focal_loss(logits, cls_t, alpha=0.25, gamma=2.0, reduction="sum") / max(1, int(fg.sum()))
        loss_box = F.smooth_l1_loss(deltas[fg], box_t[fg], beta=0.1, reduction="mean")
        return {"loss_cls": loss_cls, "loss_box_reg": loss_box}


class SetCriterion:
    def __init__(self, weight_dict):
        self.weight_dict = weight_dict

    def __call__(self, loss_dict):
        return sum(loss_dict[k] * self.weight_dict[k] for k in loss_dict)


def make_anchors(n, g, C):
    y = torch.randint(0, 7, (n,), generator=g)  # 6 = background
    x = torch.randn(n, 16, generator=g) * 0.8
    x[:, :6] += 2.2 * F.one_hot(y, 7)[:, :6].float()
    cls_t = F.one_hot(y, 7)[:, :6].float()
    box_t = torch.tanh(x[:, 6:10] @ C)
    return x, cls_t, box_t, y


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    C = torch.randn(4, 4, generator=g)
    xtr, ctr, btr, ytr = make_anchors(4000, g, C); xva, cva, bva, yva = make_anchors(1000, g, C)
    model = RetinaHead()
    bias_value = -math.log((1 - 0.01) / 0.01)
    if args.control:
        nn.init.constant_(model.cls_score.bias, bias_value)
    else:
        model.apply(lambda m: nn.init.constant_(m.bias, bias_value) if isinstance(m, nn.Linear) else None)
    crit = SetCriterion({"loss_cls": 1.0, "loss_box_reg": 1.0})
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
    acts = []
    hooks = [m.register_forward_hook(lambda m, i, o: acts.append(o.detach())) for m in model.cls_subnet if isinstance(m, nn.ReLU)]
    with torch.no_grad():
        model(xtr[:1000])
    dead0 = [float((a.amax(0) <= 0).float().mean()) for a in acts]; acts.clear()
    print("probe: init fraction of never-firing units per hidden layer: " + " ".join(f"{d:.2f}" for d in dead0))
    bs, it = 64, 0
    for epoch in range(10):
        perm = torch.randperm(len(xtr), generator=g)
        for i in range(0, len(xtr) - bs + 1, bs):
            idx = perm[i:i + bs]
            acts.clear()
            loss_dict = model(xtr[idx], (ctr[idx], btr[idx])); losses = crit(loss_dict)
            opt.zero_grad(); losses.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0); opt.step(); it += 1
            if it % 20 == 0:
                print(f"iter: {it}  total_loss: {losses.item():.4f}  " + "  ".join(f"{k}: {v.item():.4f}" for k, v in loss_dict.items())
                      + f"  lr: {opt.param_groups[0]['lr']:.4f}")
        acts.clear()
        with torch.no_grad():
            vd = model(xva, (cva, bva)); vloss = crit(vd).item()
            logits, _ = model(xva)
            pred = torch.where(logits.sigmoid().amax(1) > 0.3, logits.argmax(1), torch.full_like(yva, 6))
            vacc = (pred == yva).float().mean().item()
        dead = [float((a.amax(0) <= 0).float().mean()) for a in acts[:4]]
        print(f"[epoch {epoch}] val total_loss {vloss:.4f} loss_cls {vd['loss_cls'].item():.4f} loss_box_reg {vd['loss_box_reg'].item():.4f} "
              f"acc {vacc:.4f} | dead units/layer " + " ".join(f"{d:.2f}" for d in dead))
    for h in hooks:
        h.remove()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                         "val_box_l1": round(vd["loss_box_reg"].item(), 4), "chance_acc": round(1 / 7, 4)}))


if __name__ == "__main__":
    main()
