# expect: high_variance
# allow: overfitting, non_convergence
# forbid: *
# evidence: planted (ema decay 0.99999): EMA val_acc 0.244 / val_loss 1.61 (chance 0.20, ln5=1.61) while raw model train_acc 0.988, train_loss 0.06; control (decay 0.99): EMA val_acc 0.952, val_loss 0.15. ||ema-model|| 12.1 vs 1.6
# control: --control
"""ConvNeXt-flavoured tiny CNN (depthwise 7x7 conv, LayerNorm, inverted MLP, layer-scale) trained on
synthetic 5-class stripe images; evaluation uses the EMA weights, as ConvNeXt/DeiT configs do.

Planted: the config sets model_ema_decay = 0.99999 for a run of only ~250 iterations, so the EMA
weights stay essentially at their initial values and the evaluated model is untrained (train loss
falls, held-out loss stays at chance). --control sets model_ema_decay = 0.99 (only change).
"""
import argparse, copy, json, math, sys
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class Config:
    epochs: int = 10
    batch_size: int = 48
    lr: float = 4e-3
    weight_decay: float = 0.05
    model_ema_decay: float = 0.99999
    num_classes: int = 5
    layer_scale_init: float = 1e-1


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim, ls):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.pwconv1 = nn.Linear(dim, 4 * dim); self.act = nn.GELU(); self.pwconv2 = nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(ls * torch.ones(dim))

    def forward(self, x):
        s = x; x = self.dwconv(x).permute(0, 2, 3, 1)
        x = self.pwconv2(self.act(self.pwconv1(self.norm(x)))) * self.gamma
        return s + x.permute(0, 3, 1, 2)


class TinyConvNeXt(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 24, 2, 2), LayerNorm2d(24))
        self.stage1 = nn.Sequential(ConvNeXtBlock(24, cfg.layer_scale_init), ConvNeXtBlock(24, cfg.layer_scale_init))
        self.down = nn.Sequential(LayerNorm2d(24), nn.Conv2d(24, 48, 2, 2))
        self.stage2 = ConvNeXtBlock(48, cfg.layer_scale_init)
        self.norm = nn.LayerNorm(48); self.head = nn.Linear(48, cfg.num_classes)

    def forward(self, x):
        x = self.stage2(self.down(self.stage1(self.stem(x))))
        return self.head(self.norm(x.mean((2, 3))))


def stripes(n, g, k=5):
    y = torch.randint(0, k, (n,), generator=g)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    ang = y.float() * math.pi / k + 0.15 * torch.randn(n, generator=g)
    ph = 2 * math.pi * torch.rand(n, generator=g)
    wave = torch.sin(0.9 * (xx * torch.cos(ang)[:, None, None] + yy * torch.sin(ang)[:, None, None]) + ph[:, None, None])
    return (wave + 0.8 * torch.randn(n, 16, 16, generator=g))[:, None], y


@torch.no_grad()
def ema_update(ema, model, decay):
    for pe, pm in zip(ema.parameters(), model.parameters()):
        pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true")
    cfg = Config()
    if ap.parse_args().control:
        cfg.model_ema_decay = 0.99
    torch.manual_seed(3); g = torch.Generator().manual_seed(3)
    xtr, ytr = stripes(1200, g); xva, yva = stripes(500, g)
    model = TinyConvNeXt(cfg); ema = copy.deepcopy(model)
    decay, no_decay = [], []
    for n_, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr)
    steps_per_epoch = len(xtr) // cfg.batch_size; total = cfg.epochs * steps_per_epoch
    step = 0
    for epoch in range(cfg.epochs):
        model.train(); perm = torch.randperm(len(xtr), generator=g); run = 0.0
        for i in range(steps_per_epoch):
            idx = perm[i * cfg.batch_size:(i + 1) * cfg.batch_size]
            lr = cfg.lr * min(1.0, (step + 1) / 25) * 0.5 * (1 + math.cos(math.pi * step / total))
            for pg in opt.param_groups:
                pg["lr"] = lr
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
            ema_update(ema, model, cfg.model_ema_decay); step += 1; run += loss.item()
        ema.eval()
        with torch.no_grad():
            out = ema(xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        print(f"Epoch: [{epoch}]  lr: {lr:.6f}  train_loss: {run / steps_per_epoch:.4f}  "
              f"ema_val_loss: {vl:.4f}  ema_val_acc1: {va * 100:.2f}")
    with torch.no_grad():
        model.eval(); o = model(xtr)  # train-set probe computed without F.* so it is not logged as an eval loss
        tl = (-o.log_softmax(1).gather(1, ytr[:, None])).mean().item(); ta = (o.argmax(1) == ytr).float().mean().item()
        dist = sum((a - b).norm() ** 2 for a, b in zip(ema.parameters(), model.parameters())) ** 0.5
    print(f"probe: raw-model train_acc {ta:.3f}; ||ema - model|| = {dist:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "train_acc": round(ta, 4), "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
