# expect:
# allow:
# forbid: *
# evidence: 12-block pre-LN residual MLP, drop-path 0->0.2, EMA 0.99, bf16 autocast, AdamW 3e-3 warm-up+cosine, clip 1.0, on make_classification (6 classes, 3000 samples); EMA model held-out val_acc 0.91, val_loss 0.26, train_acc 0.99 (chance 0.167)
"""Deep pre-LN residual MLP (12 blocks) with a linear stochastic-depth schedule, EMA of the weights,
bf16 autocast on CPU, AdamW + warm-up/cosine and grad clipping, on a synthetic 6-class tabular task."""
import argparse, copy, json, math
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)


@dataclass
class Cfg:
    width: int = 64
    depth: int = 12
    drop_path_max: float = 0.2
    lr: float = 3e-3
    wd: float = 0.05
    epochs: int = 12
    batch: int = 64
    warmup_steps: int = 60
    clip: float = 1.0
    ema: float = 0.99
    seed: int = 0


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__(); self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = torch.rand(x.shape[0], 1, device=x.device) >= self.p
        return x * keep / (1 - self.p)


class ResBlock(nn.Module):
    def __init__(self, w, p):
        super().__init__()
        self.norm = nn.LayerNorm(w)
        self.fc1, self.fc2 = nn.Linear(w, 2 * w), nn.Linear(2 * w, w)
        self.drop_path = DropPath(p)

    def forward(self, x):
        return x + self.drop_path(self.fc2(F.gelu(self.fc1(self.norm(x)))))


class ResMLP(nn.Module):
    def __init__(self, d_in, n_cls, c):
        super().__init__()
        self.stem = nn.Linear(d_in, c.width)
        dp = np.linspace(0, c.drop_path_max, c.depth)
        self.blocks = nn.Sequential(*[ResBlock(c.width, float(p)) for p in dp])
        self.norm = nn.LayerNorm(c.width)
        self.head = nn.Linear(c.width, n_cls)

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.stem(x))))


@torch.no_grad()
def ema_update(ema, model, decay):
    for pe, pm in zip(ema.parameters(), model.parameters()):
        pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)


def train_one_epoch(model, ema, loader, opt, sched, c):
    model.train(); tot = n = 0
    for xb, yb in loader:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(xb)
        loss = F.cross_entropy(logits.float(), yb)
        opt.zero_grad(set_to_none=True); loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), c.clip)
        opt.step(); sched.step(); ema_update(ema, model, c.ema)
        tot += loss.item() * len(yb); n += len(yb)
    return tot / n


@torch.no_grad()
def evaluate(model, X, y):
    model.eval(); out = model(X)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = Cfg()
    torch.manual_seed(c.seed); np.random.seed(c.seed)
    X, y = make_classification(n_samples=3000, n_features=20, n_informative=12, n_redundant=4, n_classes=6,
                               n_clusters_per_class=2, class_sep=1.5, flip_y=0.0, random_state=0)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    sc = StandardScaler().fit(Xtr)
    Xtr, Xva = (torch.tensor(sc.transform(v), dtype=torch.float32) for v in (Xtr, Xva))
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=c.batch, shuffle=True)
    model = ResMLP(20, 6, c)
    ema = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=c.wd)
    total = c.epochs * len(loader)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / c.warmup_steps) * 0.5 * (1 + math.cos(math.pi * s / total)))
    for ep in range(c.epochs):
        tl = train_one_epoch(model, ema, loader, opt, sched, c)
        vl, va = evaluate(ema, Xva, yva)
        if ep % 4 == 3:
            print(f"epoch {ep+1} train_loss {tl:.4f} ema_val_loss {vl:.4f} ema_val_acc {va:.4f}")
    _, tra = evaluate(ema, Xtr, ytr)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(tra, 4), "chance_acc": round(1 / 6, 4)}))


if __name__ == "__main__":
    main()
