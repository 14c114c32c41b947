# expect:
# allow:
# forbid: *
# evidence: val_loss 1.05 after 300 steps (uniform 2.77, source entropy floor 0.79); train 1.02, val tracks train throughout
"""A small modern decoder-only LM (nanoGPT/llama style): RMSNorm, rotary position embeddings,
SwiGLU MLP, tied input/output embeddings, the loss computed inside forward(), AdamW with two
param groups (no weight decay on norms / biases / embeddings), linear warm-up + cosine decay,
gradient clipping at 1.0 and an estimate_loss() that evaluates train and val in one no_grad block
and prints both. The corpus is synthetic text drawn from a 2nd-order Markov source, so the best
achievable loss (the source's conditional entropy) is known and printed for reference.
"""
import json
import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
rng = np.random.default_rng(0)

V, BLOCK, D, N_LAYER, N_HEAD = 16, 32, 48, 2, 4
MAX_ITERS, WARMUP, PEAK_LR, MIN_LR, EVAL_EVERY, BATCH = 300, 30, 3e-3, 3e-4, 30, 32


def make_source():
    # each (a, b) context has 3 plausible next symbols with skewed probabilities
    probs = np.zeros((V, V, V))
    for a in range(V):
        for b in range(V):
            nxt = rng.choice(V, size=3, replace=False)
            probs[a, b, nxt] = rng.dirichlet([3.0, 1.5, 0.7])
    return probs


def sample(probs, n):
    out = np.empty(n, dtype=np.int64)
    out[:2] = rng.integers(0, V, 2)
    u = rng.random(n)
    for i in range(2, n):
        out[i] = np.searchsorted(np.cumsum(probs[out[i - 2], out[i - 1]]), u[i])
    return np.minimum(out, V - 1)


probs = make_source()
data = torch.from_numpy(sample(probs, 30000))
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]
# source entropy per token (the floor for the cross-entropy)
ctx_counts = np.zeros((V, V))
for a, b in zip(data[:-1].numpy(), data[1:].numpy()):
    ctx_counts[a, b] += 1
p = probs.reshape(V * V, V)
h = -(np.where(p > 0, p * np.log(np.clip(p, 1e-12, None)), 0.0)).sum(1)
w = ctx_counts.reshape(-1) / ctx_counts.sum()
SOURCE_ENTROPY = float((w * h).sum())


def get_batch(split):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - BLOCK - 1, (BATCH,))
    x = torch.stack([d[i:i + BLOCK] for i in ix])
    y = torch.stack([d[i + 1:i + BLOCK + 1] for i in ix])
    return x, y


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_cache(T, hd, base=10000.0):
    inv = 1.0 / (base ** (torch.arange(0, hd, 2).float() / hd))
    ang = torch.outer(torch.arange(T).float(), inv)
    return ang.cos(), ang.sin()


def apply_rope(x, cos, sin):
    x1, x2 = x[..., ::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1).flatten(-2)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D, bias=False)
        self.proj = nn.Linear(D, D, bias=False)

    def forward(self, x, cos, sin):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(D, dim=2)
        q, k, v = (t.view(B, T, N_HEAD, C // N_HEAD).transpose(1, 2) for t in (q, k, v))
        q, k = apply_rope(q, cos[:T], sin[:T]), apply_rope(k, cos[:T], sin[:T])
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


class SwiGLU(nn.Module):
    def __init__(self):
        super().__init__()
        hidden = int(8 * D / 3)
        self.w1 = nn.Linear(D, hidden, bias=False)
        self.w3 = nn.Linear(D, hidden, bias=False)
        self.w2 = nn.Linear(hidden, D, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.attn, self.n2, self.mlp = RMSNorm(D), Attention(), RMSNorm(D), SwiGLU()

    def forward(self, x, cos, sin):
        x = x + self.attn(self.n1(x), cos, sin)
        return x + self.mlp(self.n2(x))


class TinyLlama(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(V, D)
        self.blocks = nn.ModuleList([Block() for _ in range(N_LAYER)])
        self.norm = RMSNorm(D)
        self.head = nn.Linear(D, V, bias=False)
        self.head.weight = self.tok.weight  # weight tying
        cos, sin = rope_cache(BLOCK, D // N_HEAD)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        self.apply(self._init)
        for name, p in self.named_parameters():
            if name.endswith("proj.weight") or name.endswith("w2.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * N_LAYER))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)

    def forward(self, idx, targets=None):
        x = self.tok(idx)
        for b in self.blocks:
            x = b(x, self.cos, self.sin)
        logits = self.head(self.norm(x))
        loss = None if targets is None else F.cross_entropy(logits.view(-1, V), targets.view(-1))
        return logits, loss

    def configure_optimizers(self, weight_decay, lr):
        decay = [p for p in self.parameters() if p.dim() >= 2]
        no_decay = [p for p in self.parameters() if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": weight_decay},
                  {"params": no_decay, "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.95))


def get_lr(it):
    if it < WARMUP:
        return PEAK_LR * (it + 1) / WARMUP
    ratio = (it - WARMUP) / (MAX_ITERS - WARMUP)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (PEAK_LR - MIN_LR)


model = TinyLlama()
opt = model.configure_optimizers(weight_decay=0.1, lr=PEAK_LR)


@torch.no_grad()
def estimate_loss(iters=10):
    out = {}
    model.eval()
    for split in ("train", "val"):
        losses = torch.zeros(iters)
        for k in range(iters):
            x, y = get_batch(split)
            losses[k] = model(x, y)[1].item()
        out[split] = losses.mean().item()
    model.train()
    return out


for it in range(MAX_ITERS + 1):
    if it % EVAL_EVERY == 0:
        l = estimate_loss()
        print(f"step {it}: train loss {l['train']:.4f}, val loss {l['val']:.4f}, lr {get_lr(it):.2e}")
    if it == MAX_ITERS:
        break
    for g in opt.param_groups:
        g["lr"] = get_lr(it)
    x, y = get_batch("train")
    _, loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()

l = estimate_loss(40)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(l["val"], 4), "train_loss": round(l["train"], 4),
    "source_entropy": round(SOURCE_ENTROPY, 4), "uniform_loss": round(math.log(V), 4),
}))
