"""Tiny decoder-only char LM (pre-LN, rotary positions, tied embeddings).

Follows the usual nanoGPT-style recipe: AdamW with weight decay only on matrices,
linear warm-up + cosine via LambdaLR, grad clipping at 1.0. Text comes from a small
hand-written probabilistic grammar so the held-out loss has a known-ish floor.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy; val loss 0.334 nats/char (unigram baseline 2.76), val next-char acc 0.854; train loss 0.333 (no gap)
# native-log: lm_log.csv
# log-expect:
# log-allow:
import csv
import json
import math
import os
import random
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
random.seed(0)

# ---------------------------------------------------------------- data
SUBJ = ["the cat", "a dog", "my aunt", "the old man", "a small bird", "the baker"]
VERB = ["sees", "likes", "chases", "paints", "finds", "feeds"]
OBJ = ["the moon", "a red ball", "the river", "some bread", "a green hat", "the garden"]
ADV = ["today", "at night", "again", "slowly", "every morning"]


def sentence():
    s = f"{random.choice(SUBJ)} {random.choice(VERB)} {random.choice(OBJ)}"
    if random.random() < 0.5:
        s += " " + random.choice(ADV)
    return s + ". "


text = "".join(sentence() for _ in range(2600))
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]
vocab = len(chars)

block, batch = 40, 24


def get_batch(split):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - block - 1, (batch,))
    x = torch.stack([d[i:i + block] for i in ix])
    y = torch.stack([d[i + 1:i + block + 1] for i in ix])
    return x, y


# ---------------------------------------------------------------- model
def rope_cache(T, hd, base=10000.0):
    inv = 1.0 / (base ** (torch.arange(0, hd, 2).float() / hd))
    t = torch.arange(T).float()
    freqs = torch.outer(t, inv)
    return freqs.cos(), freqs.sin()


def apply_rope(x, cos, sin):
    # x: B H T hd
    x1, x2 = x[..., ::2], x[..., 1::2]
    out = torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)
    return out.flatten(-2)


class CausalSelfAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h, self.hd = h, d // h
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        self.register_buffer("mask", torch.tril(torch.ones(block, block)).bool())

    def forward(self, x, cos, sin):
        B, T, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=-1)
        q, k, v = (t.view(B, T, self.h, self.hd).transpose(1, 2) for t in (q, k, v))
        q, k = apply_rope(q, cos[:T], sin[:T]), apply_rope(k, cos[:T], sin[:T])
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.hd)
        att = att.masked_fill(~self.mask[:T, :T], float("-inf"))
        att = att.softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        return self.proj(y)


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = CausalSelfAttention(d, h)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, cos, sin):
        x = x + self.attn(self.ln1(x), cos, sin)
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab, d=48, h=4, L=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList([Block(d, h) for _ in range(L)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.head.weight = self.tok.weight  # weight tying
        cos, sin = rope_cache(block, d // h)
        self.register_buffer("cos", cos)
        self.register_buffer("sin", sin)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, idx, targets=None):
        x = self.tok(idx)
        for b in self.blocks:
            x = b(x, self.cos, self.sin)
        logits = self.head(self.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss


model = TinyGPT(vocab)
decay = [p for n_, p in model.named_parameters() if p.dim() >= 2]
no_decay = [p for n_, p in model.named_parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                         {"params": no_decay, "weight_decay": 0.0}], lr=3e-3, betas=(0.9, 0.95))
max_steps, warmup = 260, 25


def lr_lambda(step):
    if step < warmup:
        return (step + 1) / warmup
    p = (step - warmup) / max(1, max_steps - warmup)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * p))


sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)


@torch.no_grad()
def estimate(split, iters=8):
    model.eval()
    losses, accs = [], []
    g = torch.get_rng_state()
    torch.manual_seed(123 if split == "val" else 321)
    for _ in range(iters):
        x, y = get_batch(split)
        logits, loss = model(x, y)
        losses.append(loss.item())
        accs.append((logits.argmax(-1) == y).float().mean().item())
    torch.set_rng_state(g)
    model.train()
    return sum(losses) / iters, sum(accs) / iters


log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
fh = open(os.path.join(log_dir, "lm_log.csv"), "w", newline="")
w = csv.writer(fh)
w.writerow(["step", "lr", "train_loss", "val_loss", "val_acc"])

for step in range(max_steps):
    x, y = get_batch("train")
    _, loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 60 == 0 or step == max_steps - 1:
        vl, va = estimate("val", 4)
        w.writerow([step, f"{sched.get_last_lr()[0]:.6g}", f"{loss.item():.4f}", f"{vl:.4f}", f"{va:.4f}"])
        print(f"step {step:4d} | loss {loss.item():.4f} | val {vl:.4f} | acc {va:.3f}")
fh.close()

tl, ta = estimate("train")
vl, va = estimate("val")
counts = torch.bincount(train_data, minlength=vocab).float()
pu = counts / counts.sum()
unigram = -(pu[val_data].log()).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "unigram_val_loss": round(unigram, 4)}))
