# expect:
# allow:
# forbid: *
# evidence: tiny ViT (depth 3) on 6-class synthetic texture images reaches val_acc 0.99 (chance 0.167), val_loss 0.119 (train 0.087), val loss falls monotonically
# native-log: log.txt
# log-expect:
# log-allow:
"""DeiT-style training of a tiny ViT on synthetic 6-class images, scaled down to seconds.

Healthy: AdamW with param groups (no weight decay on biases / norms / pos-embed / cls token),
per-iteration warm-up + cosine lr table built by hand, label smoothing 0.1, grad clipping,
MetricLogger/SmoothedValue printing and DeiT's log.txt of JSON lines in $CORPUS_LOG_DIR.
"""
import argparse, json, math, os, sys, tempfile, time
from collections import defaultdict, deque

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class SmoothedValue:
    def __init__(self, window_size=20, fmt="{median:.4f} ({global_avg:.4f})"):
        self.deque = deque(maxlen=window_size); self.total = 0.0; self.count = 0; self.fmt = fmt

    def update(self, value, n=1):
        self.deque.append(value); self.count += n; self.total += value * n

    @property
    def median(self):
        return float(torch.tensor(list(self.deque)).median())

    @property
    def global_avg(self):
        return self.total / max(self.count, 1)

    def __str__(self):
        return self.fmt.format(median=self.median, global_avg=self.global_avg)


class MetricLogger:
    def __init__(self, delimiter="  "):
        self.meters = defaultdict(SmoothedValue); self.delimiter = delimiter

    def update(self, **kw):
        for k, v in kw.items():
            self.meters[k].update(float(v))

    def __str__(self):
        return self.delimiter.join(f"{k}: {v}" for k, v in self.meters.items())

    def log_every(self, iterable, print_freq, header):
        start = time.time(); n = len(iterable)
        for i, obj in enumerate(iterable):
            yield obj
            if i % print_freq == 0 or i == n - 1:
                eta = (time.time() - start) / (i + 1) * (n - i - 1)
                print(f"{header}  [{i:>3}/{n}]  eta: {eta:.1f}s  {self}")


def make_data(n, g, templates):
    y = torch.randint(0, templates.shape[0], (n,), generator=g)
    amp = 0.6 + 0.8 * torch.rand(n, 1, 1, 1, generator=g)  # per-image contrast (the nuisance)
    x = amp * templates[y] + 1.2 * torch.randn(n, 1, 16, 16, generator=g)
    return x, y


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim); self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class ViT(nn.Module):
    def __init__(self, num_classes=6, patch=4, dim=48, depth=3, heads=3):
        super().__init__()
        self.patch_embed = nn.Conv2d(1, dim, patch, patch)
        n = (16 // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim); self.head = nn.Linear(dim, num_classes)
        self.apply(self._init_weights)

    def _init_weights(self, m):
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embed
        for b in self.blocks:
            x = b(x)
        return self.head(self.norm(x)[:, 0])


def param_groups_weight_decay(model, wd):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if p.ndim <= 1 or name.endswith(".bias") or name in ("pos_embed", "cls_token"):
            no_decay.append(p)
        else:
            decay.append(p)
    return [{"params": no_decay, "weight_decay": 0.0}, {"params": decay, "weight_decay": wd}]


def cosine_scheduler(base, final, epochs, niter_per_ep, warmup_epochs):
    warm = [base * i / (warmup_epochs * niter_per_ep) for i in range(warmup_epochs * niter_per_ep)]
    iters = epochs * niter_per_ep - len(warm)
    cos = [final + 0.5 * (base - final) * (1 + math.cos(math.pi * i / iters)) for i in range(iters)]
    return warm + cos


def train_one_epoch(model, loader, opt, epoch, lr_schedule, args):
    model.train(); ml = MetricLogger()
    for it, (x, y) in enumerate(ml.log_every(loader, 10, f"Epoch: [{epoch}]")):
        gi = epoch * len(loader) + it
        for pg in opt.param_groups:
            pg["lr"] = lr_schedule[gi]
        with torch.autocast("cpu", enabled=False):
            loss = F.cross_entropy(model(x), y, label_smoothing=args.smoothing)
        opt.zero_grad(); loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip_grad)
        opt.step()
        ml.update(loss=loss.item(), lr=opt.param_groups[0]["lr"])
    return {k: m.global_avg for k, m in ml.meters.items()}


@torch.no_grad()
def evaluate(model, x, y):
    model.eval(); out = model(x)
    return {"loss": F.cross_entropy(out, y).item(), "acc1": (out.argmax(1) == y).float().mean().item()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=8); p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--batch-size", type=int, default=64); p.add_argument("--smoothing", type=float, default=0.1)
    p.add_argument("--clip-grad", type=float, default=1.0); p.add_argument("--weight-decay", type=float, default=0.05)
    args = p.parse_args()
    torch.manual_seed(0); g = torch.Generator().manual_seed(0)
    templates = F.avg_pool2d(torch.randn(6, 1, 20, 20, generator=g), 5, 1)  # smooth 16x16 textures
    templates = templates / templates.std(dim=(1, 2, 3), keepdim=True)
    xtr, ytr = make_data(2400, g, templates); xva, yva = make_data(600, g, templates)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=args.batch_size,
                                         shuffle=True, drop_last=True, generator=torch.Generator().manual_seed(1))
    model = ViT()
    opt = torch.optim.AdamW(param_groups_weight_decay(model, args.weight_decay), lr=args.lr)
    sched = cosine_scheduler(args.lr, 1e-5, args.epochs, len(loader), 1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "log.txt"), "w"):
        pass
    for epoch in range(args.epochs):
        tr = train_one_epoch(model, loader, opt, epoch, sched, args)
        te = evaluate(model, xva, yva)
        print(f"* Acc@1 {te['acc1']*100:.3f} loss {te['loss']:.3f}")
        log_stats = {**{f"train_{k}": v for k, v in tr.items()}, **{f"test_{k}": v for k, v in te.items()},
                     "epoch": epoch}
        with open(os.path.join(log_dir, "log.txt"), "a") as f:
            f.write(json.dumps(log_stats) + "\n")
    with torch.no_grad():
        model.eval(); o = model(xtr); tr_loss = (-o.log_softmax(1).gather(1, ytr[:, None])).mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(te["loss"], 4), "val_acc": round(te["acc1"], 4),
                                         "train_loss": round(tr_loss, 4), "chance_acc": round(1 / 6, 4)}))


if __name__ == "__main__":
    main()
