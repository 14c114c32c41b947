# expect:
# allow:
# forbid: *
# evidence: 4 epochs pre-training (20 classes) then 10 epochs fine-tuning on 400 target images (backbone lr 1e-3, head 1e-2, warm-up + cosine, label smoothing 0.1): train_acc 0.983, train_loss 0.211, val_loss 0.349, val_acc 0.937 (chance 0.125)
"""torchvision-references-flavoured transfer learning: a backbone is first "pre-trained" on a large
source task (done in-script, standing in for ImageNet weights), then fine-tuned on a small target
task with a new head, lower lr for the backbone (param groups), short warm-up + cosine per iteration,
label smoothing 0.1. Logged with a light MetricLogger."""
import argparse
import json
import math
from collections import defaultdict

import torch
import torch.nn as nn
import torch.nn.functional as F


class MetricLogger:
    def __init__(self):
        self.sums, self.counts = defaultdict(float), defaultdict(int)

    def update(self, n=1, **kw):
        for k, v in kw.items():
            self.sums[k] += float(v) * n
            self.counts[k] += n

    def __str__(self):
        return "  ".join(f"{k}: {self.sums[k] / self.counts[k]:.4f}" for k in self.sums)


def images(n, templates, noise, g):
    y = torch.randint(0, templates.shape[0], (n,), generator=g)
    shift = torch.randint(-1, 2, (2,), generator=g)
    x = torch.roll(templates[y], shifts=(int(shift[0]), int(shift[1])), dims=(2, 3))
    return x + noise * torch.randn(x.shape, generator=g), y


def make_backbone():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(inplace=True), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True),
        nn.AdaptiveAvgPool2d(2), nn.Flatten())


def run_epochs(model, loader_fn, optimizer, sched_fn, epochs, criterion, header):
    it = 0
    for epoch in range(epochs):
        model.train()
        ml = MetricLogger()
        for x, y in loader_fn():
            for pg in optimizer.param_groups:
                pg["lr"] = pg["initial_lr"] * sched_fn(it)
            out = model(x)
            loss = criterion(out, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            it += 1
            ml.update(n=len(y), loss=loss.item(), acc1=(out.argmax(1) == y).float().mean().item() * 100)
        print(f"{header} Epoch: [{epoch}] {ml}  lr: {optimizer.param_groups[-1]['lr']:.2e}")


@torch.inference_mode()
def evaluate(model, x, y):
    model.eval()
    out = model(x)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ft-epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--backbone-lr-mult", type=float, default=0.1)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    base = F.avg_pool2d(torch.randn(40, 1, 12, 12, generator=g), 3, 1, 1) * 2.5
    src_t = base[:20]                                       # source task: 20 classes
    tgt_t = 0.6 * base[20:28] + 0.4 * base[:8]              # target task: 8 new, related classes

    # ---- "pre-training" (stands in for loading published weights) ----
    xs, ys = images(2000, src_t, 1.0, g)
    backbone = make_backbone()
    pre = nn.Sequential(backbone, nn.Linear(128, 20))
    opt = torch.optim.SGD(pre.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    for pg in opt.param_groups:
        pg["initial_lr"] = pg["lr"]
    loader = lambda: [(xs[i], ys[i]) for i in torch.randperm(2000).split(50)]
    run_epochs(pre, loader, opt, lambda it: 0.5 * (1 + math.cos(math.pi * it / (4 * 40))), 4,
               nn.CrossEntropyLoss(), "pretrain")

    # ---- fine-tuning on the small target set ----
    xt, yt = images(400, tgt_t, 1.0, g)
    xv, yv = images(600, tgt_t, 1.0, g)
    model = nn.Sequential(backbone, nn.Linear(128, 8))
    params = [{"params": backbone.parameters(), "lr": args.lr * args.backbone_lr_mult},
              {"params": model[1].parameters(), "lr": args.lr}]
    optimizer = torch.optim.SGD(params, lr=args.lr, momentum=0.9, weight_decay=1e-4)
    for pg in optimizer.param_groups:
        pg["initial_lr"] = pg["lr"]
    iters = args.ft_epochs * 13
    warm = 13

    def sched(it):
        return (it + 1) / warm if it < warm else 0.5 * (1 + math.cos(math.pi * (it - warm) / (iters - warm)))
    ft_loader = lambda: [(xt[i], yt[i]) for i in torch.randperm(400).split(32)]
    criterion = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    vl0, va0 = evaluate(model, xv, yv)
    print(f"before fine-tuning: val loss {vl0:.4f} acc {va0:.4f}")
    run_epochs(model, ft_loader, optimizer, sched, args.ft_epochs, criterion, "finetune")
    vl, va = evaluate(model, xv, yv)
    tl, ta = evaluate(model, xt, yt)
    print(f"Test: Acc@1 {va * 100:.2f} loss {vl:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "train_acc": round(ta, 4), "chance_acc": 0.125}))


if __name__ == "__main__":
    main()
