# expect: class_imbalance
# allow: high_bias, non_convergence, overfitting, high_variance
# forbid: *
# evidence: planted (imbalance 200, train counts 1596..8): balanced val acc 0.696, few-shot (3 rarest) acc 0.24, many-shot 0.99, predicted histogram [287,264,152,184,182,114,16,1] on 150/class; control (balanced, same size): val acc 0.910, few-shot 0.87, histogram flat, val_loss 0.296 vs 0.999
# control: --control
"""Long-tailed recognition in the style of the LVIS / iNaturalist baselines (decoupling repos):
config dataclass, build_dataset() producing an exponential long-tail over 8 classes (imbalance
factor 200: head class 53% of the data, tail class 0.3%), a small MLP on 24-D synthetic features,
SGD + cosine, per-epoch "many/medium/few-shot" accuracy printout.

Planted: the training set is long-tailed (as is the train sampler) while evaluation is on a
balanced held-out set; nothing re-balances (no class-balanced sampler/loss). The model predicts
the head classes, balanced accuracy collapses. --control builds the training set with imbalance
factor 1 (balanced) and the same total size.
"""
import argparse, json, math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class Cfg:
    num_classes: int = 8
    imb_factor: float = 200.0
    n_train: int = 3000
    n_val_per_class: int = 150
    epochs: int = 10
    batch_size: int = 64
    lr: float = 0.05


def build_dataset(cfg, g, means, counts):
    ys = torch.cat([torch.full((int(c),), k) for k, c in enumerate(counts)])
    x = means[ys] + 1.3 * torch.randn(len(ys), 24, generator=g)
    return x, ys


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
    cfg = Cfg()
    if args.control:
        cfg.imb_factor = 1.0
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    means = torch.randn(cfg.num_classes, 24, generator=g) * 0.9
    w = torch.tensor([cfg.imb_factor ** (-k / (cfg.num_classes - 1)) for k in range(cfg.num_classes)])
    counts = (w / w.sum() * cfg.n_train).round().clamp_min(1)
    print("train class counts:", counts.long().tolist())
    xtr, ytr = build_dataset(cfg, g, means, counts)
    xva, yva = build_dataset(cfg, g, means, torch.full((cfg.num_classes,), cfg.n_val_per_class))
    model = nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, cfg.num_classes))
    opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9, weight_decay=5e-4)
    nb = len(xtr) // cfg.batch_size
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, cfg.epochs * nb)
    many, few = [0, 1, 2], [5, 6, 7]
    for epoch in range(cfg.epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); tot = 0.0
        for i in range(nb):
            idx = perm[i * cfg.batch_size:(i + 1) * cfg.batch_size]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tot += loss.item()
        model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); pred = o.argmax(1)
        per_cls = torch.stack([(pred[yva == k] == k).float().mean() for k in range(cfg.num_classes)])
        print(f"Epoch [{epoch:2d}/{cfg.epochs}] train_loss {tot / nb:.4f} val_loss {vl:.4f} | overall {per_cls.mean():.3f} "
              f"many {per_cls[many].mean():.3f} few {per_cls[few].mean():.3f}")
    hist = torch.bincount(pred, minlength=cfg.num_classes).tolist()
    print("probe: predicted-class histogram on balanced val:", hist)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(per_cls.mean().item(), 4),
                                         "val_few_shot_acc": round(per_cls[few].mean().item(), 4),
                                         "train_loss": round(tot / nb, 4), "chance_acc": 0.125}))


if __name__ == "__main__":
    main()
