# expect: exploding_gradients
# allow: non_finite, non_convergence, poor_initialization, learning_rate_too_high
# forbid: *
# evidence: control (pre-LayerNorm) grad norm 1.63 at step 0, val loss 0.425 (uniform 2.77); planted (no norm) step-0 loss 3426 and grad norm 2.5e4, NaN from the next logged step on, val loss NaN
# control: --control
"""Causal-conv character LM built from 16 un-normalised residual blocks
x <- x + conv2(relu(conv1(x))) with Kaiming init and no normalisation, trained with plain
SGD+momentum and no gradient clipping. --control puts a LayerNorm (over channels) in front
of every residual branch (pre-norm), which is the only change."""
import argparse
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)
random.seed(0)

WORDS = "alpha beta gamma delta omega sigma kappa lambda theta zeta".split()
text = " ".join(random.choice(WORDS) for _ in range(12000))
chars = sorted(set(text))
ids = torch.tensor([chars.index(c) for c in text])
cut = int(len(ids) * 0.9)
tr_ids, va_ids = ids[:cut], ids[cut:]
V, CTX = len(chars), 32


class ChannelNorm(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.ln = nn.LayerNorm(ch)

    def forward(self, x):           # (B, C, T)
        return self.ln(x.transpose(1, 2)).transpose(1, 2)


class ResBlock(nn.Module):
    def __init__(self, ch, k=3, norm=False):
        super().__init__()
        self.k = k
        self.norm = ChannelNorm(ch) if norm else nn.Identity()
        self.c1 = nn.Conv1d(ch, ch, k)
        self.c2 = nn.Conv1d(ch, ch, 1)
        for c in (self.c1, self.c2):
            nn.init.kaiming_normal_(c.weight, nonlinearity="relu")
            nn.init.zeros_(c.bias)

    def forward(self, x):
        h = F.pad(self.norm(x), (self.k - 1, 0))
        return x + self.c2(F.relu(self.c1(h)))


class ConvLM(nn.Module):
    def __init__(self, ch=32, depth=16, norm=False):
        super().__init__()
        self.emb = nn.Embedding(V, ch)
        self.blocks = nn.Sequential(*[ResBlock(ch, norm=norm) for _ in range(depth)])
        self.out_norm = ChannelNorm(ch) if norm else nn.Identity()
        self.out = nn.Conv1d(ch, V, 1)

    def forward(self, idx, targets=None):
        h = self.blocks(self.emb(idx).transpose(1, 2))
        logits = self.out(self.out_norm(h))           # (B, V, T)
        loss = None if targets is None else F.cross_entropy(logits, targets)
        return logits, loss


def get_batch(src, bs=32, g=None):
    ix = torch.randint(0, len(src) - CTX - 1, (bs,), generator=g)
    return torch.stack([src[i:i + CTX] for i in ix]), torch.stack([src[i + 1:i + CTX + 1] for i in ix])


model = ConvLM(norm=args.control)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
grad_norms = []
for step in range(120):
    x, y = get_batch(tr_ids)
    _, loss = model(x, y)
    opt.zero_grad()
    loss.backward()
    gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters() if p.grad is not None))
    grad_norms.append(gn)
    opt.step()
    if step % 20 == 0:
        print(f"step {step:3d}  loss {loss.item():.4g}  grad_norm {gn:.4g}")

with torch.no_grad():
    g = torch.Generator().manual_seed(1)
    vl = sum(model(*get_batch(va_ids, 64, g))[1].item() for _ in range(4)) / 4
    tl = sum(model(*get_batch(tr_ids, 64, g))[1].item() for _ in range(4)) / 4
finite_gn = [g for g in grad_norms if math.isfinite(g)]
print(f"val loss {vl:.4g}  max grad norm {max(finite_gn) if finite_gn else float('nan'):.4g}  first {grad_norms[0]:.4g}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if math.isfinite(vl) else None,
                                     "train_loss": round(tl, 4) if math.isfinite(tl) else None,
                                     "initial_grad_norm": grad_norms[0],
                                     "max_finite_grad_norm": max(finite_gn) if finite_gn else None,
                                     "uniform_loss": round(math.log(V), 4)}))
