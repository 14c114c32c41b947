# expect: dead_units
# allow: non_convergence, high_bias
# forbid: *
# evidence: probe: planted (hidden bias -3, ReLU) only 26% of MLP hidden units fire on any val input, val_acc 0.74, val_loss 1.07; control (bias 0) 100% fire, val_acc 0.97, val_loss 0.11 (chance 0.10)
# control: --control
"""MLP-Mixer on digits with ReLU MLPs whose hidden bias is initialised to -3 ("sparse activations" init): the hidden units never fire. --control: bias 0."""
import argparse, json, math
from dataclasses import dataclass, replace
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)


@dataclass
class MixerConfig:
    patch: int = 2
    dim: int = 32
    token_hidden: int = 32
    channel_hidden: int = 64
    depth: int = 3
    lr: float = 3e-3
    wd: float = 0.05
    epochs: int = 12
    batch: int = 64
    warmup_epochs: int = 2
    seed: int = 0


HIDDEN_BIAS = -3.0


class MlpBlock(nn.Sequential):
    def __init__(self, d, h):
        super().__init__(nn.Linear(d, h), nn.ReLU(), nn.Linear(h, d))
        nn.init.constant_(self[0].bias, HIDDEN_BIAS)


class MixerLayer(nn.Module):
    def __init__(self, n_tokens, c):
        super().__init__()
        self.ln1 = nn.LayerNorm(c.dim)
        self.token_mlp = MlpBlock(n_tokens, c.token_hidden)
        self.ln2 = nn.LayerNorm(c.dim)
        self.channel_mlp = MlpBlock(c.dim, c.channel_hidden)

    def forward(self, x):
        x = x + self.token_mlp(self.ln1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.channel_mlp(self.ln2(x))


class Mixer(nn.Module):
    def __init__(self, c, n_classes=10):
        super().__init__()
        self.c = c
        n_tokens = (8 // c.patch) ** 2
        self.stem = nn.Linear(c.patch * c.patch, c.dim)
        self.layers = nn.Sequential(*[MixerLayer(n_tokens, c) for _ in range(c.depth)])
        self.ln = nn.LayerNorm(c.dim)
        self.head = nn.Linear(c.dim, n_classes)

    def forward(self, img):
        p = self.c.patch
        B = img.shape[0]
        x = img.reshape(B, 8 // p, p, 8 // p, p).permute(0, 1, 3, 2, 4).reshape(B, -1, p * p)
        x = self.layers(self.stem(x))
        return self.head(self.ln(x).mean(1))


MODELS = {"mixer": Mixer}


def train_one_epoch(model, loader, opt, sched):
    model.train(); tot = n = 0
    for xb, yb in loader:
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step(); sched.step()
        tot += loss.item() * len(yb); n += len(yb)
    return tot / n


@torch.no_grad()
def evaluate(model, X, y):
    model.eval(); out = model(X)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = MixerConfig()
    global HIDDEN_BIAS
    HIDDEN_BIAS = 0.0 if a.control else -3.0
    torch.manual_seed(c.seed); np.random.seed(c.seed)
    d = load_digits()
    X = d.images / 16.0 * 2 - 1
    Xtr, Xva, ytr, yva = train_test_split(X, d.target, test_size=0.25, random_state=1, stratify=d.target)
    Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=c.batch, shuffle=True)
    model = MODELS["mixer"](c)
    opt = torch.optim.AdamW(model.parameters(), lr=c.lr, weight_decay=c.wd)
    total = c.epochs * len(loader); warm = c.warmup_epochs * len(loader)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
    for ep in range(c.epochs):
        tl = train_one_epoch(model, loader, opt, sched)
        vl, va = evaluate(model, Xva, yva)
        if ep % 3 == 2:
            print(f"epoch {ep+1} lr {sched.get_last_lr()[0]:.2e} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    _, tra = evaluate(model, Xtr, ytr)
    acts = []
    hooks = [m[1].register_forward_hook(lambda mod, i, o: acts.append((o > 0).flatten(0, -2).any(0).float().mean().item())) for m in model.modules() if isinstance(m, MlpBlock)]
    with torch.no_grad():
        model(Xva)
    for h in hooks:
        h.remove()
    print(f"fraction of ReLU units that fire on any val input: {np.mean(acts):.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(tra, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
