# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, high_bias
# forbid: *
# evidence: control (peak lr 3e-3) val loss 2.74 -> 1.484; planted (peak lr 2e-1) stalls at val loss 2.296 (~unigram level, never learns the "+", "=", ";" structure)
# control: --control
"""Tiny GPT that learns to complete 2-digit additions ("37+48=85;").

The run config below was copied from a notes file where the peak lr got a digit wrong
(2e-1 instead of 3e-3). --control restores 3e-3.
"""
import argparse
import json
import math
import random
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Cfg:
    block: int = 30
    vocab: int = 13          # 0-9 + '+' '=' ';'
    d: int = 64
    heads: int = 4
    layers: int = 2
    steps: int = 240
    bs: int = 32
    peak_lr: float = 2e-1    # <- typo, meant 3e-3
    warmup: int = 30
    wd: float = 0.05


TOK = {str(i): i for i in range(10)}
TOK.update({"+": 10, "=": 11, ";": 12})


def make_stream(n_problems, rng):
    s = []
    for _ in range(n_problems):
        a, b = rng.randint(0, 99), rng.randint(0, 99)
        s.append(f"{a:02d}+{b:02d}={a + b:03d};")
    return torch.tensor([TOK[c] for c in "".join(s)])


class MHA(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.h = c.heads
        self.qkv = nn.Linear(c.d, 3 * c.d)
        self.o = nn.Linear(c.d, c.d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.o(y.transpose(1, 2).reshape(B, T, D))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(c.d), nn.LayerNorm(c.d)
        self.att = MHA(c)
        self.ff = nn.Sequential(nn.Linear(c.d, 4 * c.d), nn.GELU(), nn.Linear(4 * c.d, c.d))

    def forward(self, x):
        x = x + self.att(self.n1(x))
        return x + self.ff(self.n2(x))


class AdditionGPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.tok = nn.Embedding(c.vocab, c.d)
        self.pos = nn.Parameter(torch.zeros(1, c.block, c.d))
        self.layers = nn.Sequential(*[Layer(c) for _ in range(c.layers)])
        self.norm = nn.LayerNorm(c.d)
        self.head = nn.Linear(c.d, c.vocab, bias=False)
        nn.init.normal_(self.pos, std=0.02)

    def forward(self, idx, targets=None):
        h = self.tok(idx) + self.pos[:, : idx.size(1)]
        logits = self.head(self.norm(self.layers(h)))
        if targets is None:
            return logits, None
        return logits, F.cross_entropy(logits.flatten(0, 1), targets.flatten())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    rng = random.Random(0)
    cfg = Cfg()
    if args.control:
        cfg.peak_lr = 3e-3

    train, val = make_stream(6000, rng), make_stream(600, rng)

    def batch(src):
        ix = torch.randint(0, len(src) - cfg.block - 1, (cfg.bs,))
        x = torch.stack([src[i:i + cfg.block] for i in ix])
        y = torch.stack([src[i + 1:i + cfg.block + 1] for i in ix])
        return x, y

    model = AdditionGPT(cfg)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "pos" not in n]
    other = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "pos" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.wd},
                             {"params": other, "weight_decay": 0.0}], lr=cfg.peak_lr, betas=(0.9, 0.95))

    def lr_at(step):
        if step < cfg.warmup:
            return cfg.peak_lr * (step + 1) / cfg.warmup
        t = (step - cfg.warmup) / (cfg.steps - cfg.warmup)
        return cfg.peak_lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))

    @torch.no_grad()
    def estimate_loss():
        model.eval()
        out = {}
        for name, src in (("train", train), ("val", val)):
            g = torch.Generator().manual_seed(123)
            ls = []
            for _ in range(8):
                ix = torch.randint(0, len(src) - cfg.block - 1, (cfg.bs,), generator=g)
                x = torch.stack([src[i:i + cfg.block] for i in ix])
                y = torch.stack([src[i + 1:i + cfg.block + 1] for i in ix])
                ls.append(model(x, y)[1].item())
            out[name] = sum(ls) / len(ls)
        model.train()
        return out

    for step in range(cfg.steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        if step % 40 == 0:
            e = estimate_loss()
            print(f"iter {step:4d} | train {e['train']:.4f} | val {e['val']:.4f} | lr {lr_at(step):.2e}")
        x, y = batch(train)
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    e = estimate_loss()
    print(f"final | train {e['train']:.4f} | val {e['val']:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(e["val"], 4), "train_loss": round(e["train"], 4),
                                         "peak_lr": cfg.peak_lr}))


if __name__ == "__main__":
    main()
