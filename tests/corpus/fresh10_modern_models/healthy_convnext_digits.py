# expect:
# allow:
# forbid: *
# evidence: ConvNeXt blocks (dims 32/64, depths 2/2, layer-scale, drop-path 0.1), AdamW 4e-3 warm-up+cosine 300 steps, label smoothing 0.1; held-out val_acc 0.978, val_loss 0.17, train_acc 1.00 (chance 0.10)
"""ConvNeXt-style network (patchify stem, depthwise 7x7 conv -> LayerNorm -> 4x inverted-bottleneck MLP with
GELU, layer-scale 1e-6, stochastic depth) on 8x8 sklearn digits; AdamW + warm-up/cosine, label smoothing."""
import argparse, json, math
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)


@dataclass
class ConvNeXtConfig:
    dims: tuple = (32, 64)
    depths: tuple = (2, 2)
    drop_path: float = 0.1
    lr: float = 4e-3
    wd: float = 0.05
    steps: int = 300
    batch: int = 64
    warmup: int = 30
    n_train: int = None  # None = the whole training split
    seed: int = 0


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    def __init__(self, d, dp):
        super().__init__()
        self.dw = nn.Conv2d(d, d, 7, padding=3, groups=d)
        self.norm = nn.LayerNorm(d)
        self.pw1, self.pw2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.gamma = nn.Parameter(1e-6 * torch.ones(d))
        self.dp = dp

    def forward(self, x):
        h = self.dw(x).permute(0, 2, 3, 1)
        h = self.gamma * self.pw2(F.gelu(self.pw1(self.norm(h))))
        h = h.permute(0, 3, 1, 2)
        if self.training and self.dp > 0:
            h = h * (torch.rand(x.shape[0], 1, 1, 1) >= self.dp) / (1 - self.dp)
        return x + h


class ConvNeXt(nn.Module):
    def __init__(self, c, n_classes=10):
        super().__init__()
        d0, d1 = c.dims
        dps = np.linspace(0, c.drop_path, sum(c.depths)).tolist()
        self.stem = nn.Sequential(nn.Conv2d(1, d0, 2, 2), LayerNorm2d(d0))
        self.stage1 = nn.Sequential(*[ConvNeXtBlock(d0, dps.pop(0)) for _ in range(c.depths[0])])
        self.down = nn.Sequential(LayerNorm2d(d0), nn.Conv2d(d0, d1, 2, 2))
        self.stage2 = nn.Sequential(*[ConvNeXtBlock(d1, dps.pop(0)) for _ in range(c.depths[1])])
        self.norm = nn.LayerNorm(d1)
        self.head = nn.Linear(d1, n_classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, std=0.02); nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.stage2(self.down(self.stage1(self.stem(x))))
        return self.head(self.norm(x.mean((2, 3))))


@torch.no_grad()
def evaluate(model, X, y):
    model.eval(); out = model(X)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = ConvNeXtConfig()
    torch.manual_seed(c.seed); np.random.seed(c.seed)
    d = load_digits()
    X = torch.tensor((d.images / 16.0 - 0.3) / 0.4, dtype=torch.float32).unsqueeze(1); y = torch.tensor(d.target)
    itr, iva = train_test_split(np.arange(len(y)), test_size=0.3, random_state=2, stratify=d.target)
    if c.n_train:
        itr = itr[:c.n_train]
    Xtr, ytr, Xva, yva = X[itr], y[itr], X[iva], y[iva]
    model = ConvNeXt(c)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=c.wd)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / c.warmup if s < c.warmup else 0.5 * (1 + math.cos(math.pi * (s - c.warmup) / (c.steps - c.warmup))))
    g = torch.Generator().manual_seed(c.seed)
    step = 0
    while step < c.steps:
        perm = torch.randperm(len(Xtr), generator=g)
        for i in range(0, len(perm), c.batch):
            if step >= c.steps:
                break
            idx = perm[i:i + c.batch]
            model.train()
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx], label_smoothing=0.1)
            opt.zero_grad(set_to_none=True); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 5.0); opt.step(); sched.step()
            step += 1
            if step % 50 == 0:
                vl, va = evaluate(model, Xva, yva); tl, ta = evaluate(model, Xtr, ytr)
                print(f"step {step} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
    vl, va = evaluate(model, Xva, yva); tl, ta = evaluate(model, Xtr, ytr)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                                         "n_train": len(Xtr), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
