# expect: high_variance
# allow: overfitting, non_convergence
# forbid: *
# evidence: planted (EMA update rebinds a local instead of copy_, EMA weights stay at init; EMA is the evaluated model) live-model train_acc 0.9985 train_loss 0.198 but EMA val_loss 2.178 val_acc 0.133; control (copy_ into EMA) EMA val_loss 0.338 val_acc 0.955 (chance 0.125)
# control: --control
"""timm-flavoured training loop: ModelEmaV2-like EMA, mixup/cutmix-ish label mixing with smoothing,
SoftTargetCrossEntropy, per-step cosine schedule with linear warm-up, AverageMeter logging,
validation of both the raw model and its EMA."""
import argparse
import json
import math
from copy import deepcopy

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=15)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--lr", type=float, default=2e-3)
parser.add_argument("--weight-decay", type=float, default=0.05)
parser.add_argument("--warmup-steps", type=int, default=60)
parser.add_argument("--mixup", type=float, default=0.4)
parser.add_argument("--mixup-prob", type=float, default=0.8)
parser.add_argument("--smoothing", type=float, default=0.1)
parser.add_argument("--model-ema-decay", type=float, default=0.99)
parser.add_argument("--control", action="store_true")


class AverageMeter:
    def __init__(self):
        self.reset()

    def reset(self):
        self.val = self.avg = self.sum = self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


class ModelEmaV2(nn.Module):
    def __init__(self, model, decay=0.9999):
        super().__init__()
        self.module = deepcopy(model)
        self.module.eval()
        self.decay = decay

    @torch.no_grad()
    def _update(self, model, update_fn):
        for (ema_k, ema_v), model_v in zip(self.module.state_dict().items(), model.state_dict().values()):
            ema_v = update_fn(ema_v, model_v)
            if CONTROL:
                self.module.state_dict()[ema_k].copy_(ema_v)

    def update(self, model):
        self._update(model, update_fn=lambda e, m: self.decay * e + (1.0 - self.decay) * m)


def one_hot(x, num_classes, on_value=1.0, off_value=0.0):
    return torch.full((x.size(0), num_classes), off_value).scatter_(1, x.long().view(-1, 1), on_value)


def mixup_target(target, num_classes, lam=1.0, smoothing=0.0):
    off_value = smoothing / num_classes
    on_value = 1.0 - smoothing + off_value
    y1 = one_hot(target, num_classes, on_value=on_value, off_value=off_value)
    y2 = one_hot(target.flip(0), num_classes, on_value=on_value, off_value=off_value)
    return y1 * lam + y2 * (1.0 - lam)


class Mixup:
    def __init__(self, mixup_alpha=1.0, prob=1.0, label_smoothing=0.1, num_classes=1000, rng=None):
        self.mixup_alpha, self.mix_prob = mixup_alpha, prob
        self.label_smoothing, self.num_classes = label_smoothing, num_classes
        self.rng = rng or np.random.default_rng(0)

    def _params(self):
        if self.rng.random() < self.mix_prob:
            return float(self.rng.beta(self.mixup_alpha, self.mixup_alpha))
        return 1.0

    def __call__(self, x, target):
        lam = self._params()
        if lam != 1.0:
            x_flipped = x.flip(0).mul_(1.0 - lam)
            x.mul_(lam).add_(x_flipped)
        target = mixup_target(target, self.num_classes, lam, self.label_smoothing)
        return x, target


class SoftTargetCrossEntropy(nn.Module):
    def forward(self, x, target):
        return torch.sum(-target * F.log_softmax(x, dim=-1), dim=-1).mean()


class MlpMixerish(nn.Module):
    def __init__(self, in_dim=32, hidden=128, num_classes=8, drop=0.1):
        super().__init__()
        self.stem = nn.Linear(in_dim, hidden)
        self.blocks = nn.ModuleList([nn.Sequential(nn.LayerNorm(hidden), nn.Linear(hidden, hidden * 2), nn.GELU(),
                                                   nn.Dropout(drop), nn.Linear(hidden * 2, hidden)) for _ in range(2)])
        self.norm = nn.LayerNorm(hidden)
        self.head = nn.Linear(hidden, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for blk in self.blocks:
            x = x + blk(x)
        return self.head(self.norm(x))


def cosine_lr(step, total, warmup, base_lr, min_lr=1e-5, warmup_lr_init=1e-6):
    if step < warmup:
        return warmup_lr_init + (base_lr - warmup_lr_init) * step / warmup
    t = (step - warmup) / max(1, total - warmup)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * t))


def make_dataset(seed):
    g = torch.Generator().manual_seed(1234)
    centers = torch.randn(8, 4, 32, generator=g) * 0.9  # 4 sub-clusters per class
    g2 = torch.Generator().manual_seed(seed)

    def sample(n):
        y = torch.randint(0, 8, (n,), generator=g2)
        k = torch.randint(0, 4, (n,), generator=g2)
        x = centers[y, k] + 1.0 * torch.randn(n, 32, generator=g2)
        return x, y
    return sample(2000), sample(1000)


@torch.no_grad()
def validate(model, x, y):
    model.eval()
    out = model(x)
    loss = F.cross_entropy(out, y).item()
    acc = (out.argmax(1) == y).float().mean().item()
    return loss, acc


CONTROL = False


def main():
    global CONTROL
    args = parser.parse_args()
    CONTROL = args.control
    torch.manual_seed(42)
    torch.set_num_threads(1)
    (x_tr, y_tr), (x_va, y_va) = make_dataset(7)
    model = MlpMixerish()
    model_ema = ModelEmaV2(model, decay=args.model_ema_decay)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    mixup_fn = Mixup(mixup_alpha=args.mixup, prob=args.mixup_prob, label_smoothing=args.smoothing, num_classes=8)
    train_loss_fn = SoftTargetCrossEntropy()
    steps_per_epoch = len(x_tr) // args.batch_size
    total_steps = args.epochs * steps_per_epoch
    num_updates = 0
    for epoch in range(args.epochs):
        model.train()
        losses_m = AverageMeter()
        perm = torch.randperm(len(x_tr))
        for i in range(steps_per_epoch):
            idx = perm[i * args.batch_size:(i + 1) * args.batch_size]
            inp, target = x_tr[idx].clone(), y_tr[idx]
            inp, target = mixup_fn(inp, target)
            for pg in optimizer.param_groups:
                pg["lr"] = cosine_lr(num_updates, total_steps, args.warmup_steps, args.lr)
            output = model(inp)
            loss = train_loss_fn(output, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            model_ema.update(model)
            num_updates += 1
            losses_m.update(loss.item(), inp.size(0))
        val_loss, val_acc = validate(model, x_va, y_va)
        ema_loss, ema_acc = validate(model_ema.module, x_va, y_va)
        if epoch % 3 == 0 or epoch == args.epochs - 1:
            print(f"Train: {epoch} [{num_updates}] Loss: {losses_m.avg:.4f} LR: {optimizer.param_groups[0]['lr']:.3e} "
                  f"| val loss {val_loss:.4f} acc {val_acc:.4f} | EMA val loss {ema_loss:.4f} acc {ema_acc:.4f}")
    tr_loss, tr_acc = validate(model, x_tr, y_tr)  # live model on clean train data
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(ema_loss, 4), "val_acc": round(ema_acc, 4),
                                         "train_loss": round(tr_loss, 4), "train_acc": round(tr_acc, 4),
                                         "chance_acc": 0.125}))


if __name__ == "__main__":
    main()
