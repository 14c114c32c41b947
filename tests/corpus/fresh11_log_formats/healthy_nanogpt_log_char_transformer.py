# expect:
# allow:
# forbid: *
# evidence: 2-layer char GPT, AdamW peak 4e-3, 30-iter warmup + cosine to 4e-4, 300 iters: val loss 3.434 (= ln 31, uniform) -> 2.129 (step 50) -> 1.151 (150) -> 0.605 (300), train 0.613, so no generalisation gap; per-iteration single-batch losses are noisy but trend down throughout
# native-log: train.log
# log-expect:
# log-allow:
"""nanoGPT-style char-level GPT on a synthetic English-like corpus; stdout lines saved to train.log.

Mirrors nanoGPT's train.py output: 'step N: train loss X, val loss Y' every eval_interval and
'iter N: loss X, time Tms, mfu M%' every log_interval (mfu -100.00% for the first iterations, then
the running estimate against an A100's 312 TFLOPS, i.e. ~0% on one CPU thread).  AdamW with
betas (0.9, 0.99), linear warmup then cosine decay to min_lr, grad clip 1.0, as the shakespeare_char
config.  The per-iteration loss is a single noisy minibatch, as in nanoGPT.
"""
import json
import math
import os
import random
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 1337
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="nanogpt_healthy_")
os.makedirs(LOG_DIR, exist_ok=True)
LOG = open(os.path.join(LOG_DIR, "train.log"), "w")


def log(msg):
    print(msg)
    LOG.write(msg + "\n")
    LOG.flush()


# --- a synthetic corpus with real structure (agreement, phrases, punctuation) ----------------
rng = random.Random(0)
SUBJ_S = ["the cat", "a dog", "my friend", "the old man", "our teacher", "the girl", "a farmer", "the king"]
SUBJ_P = ["the cats", "two dogs", "my friends", "the children", "our teachers", "the farmers"]
VERB = ["see", "like", "find", "paint", "follow", "carry", "watch", "help"]
OBJ = ["the red ball", "a small house", "the blue boat", "three apples", "an old map", "the green door",
       "a wooden box", "the tall tree"]
PLACE = ["in the garden", "near the river", "at school", "on the hill", "by the sea", "under the bridge"]
TIME = ["today", "every morning", "at night", "on sunday", "again"]


def sentence():
    if rng.random() < 0.5:
        s, v = rng.choice(SUBJ_S), rng.choice(VERB) + "s"
    else:
        s, v = rng.choice(SUBJ_P), rng.choice(VERB)
    out = f"{s} {v} {rng.choice(OBJ)}"
    if rng.random() < 0.6:
        out += " " + rng.choice(PLACE)
    if rng.random() < 0.3:
        out += " " + rng.choice(TIME)
    return out + ("." if rng.random() < 0.8 else "!")


text = "\n".join(" ".join(sentence().capitalize() for _ in range(rng.randint(1, 3))) for _ in range(1500))
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]

# --- config (shakespeare_char, scaled down) ----------------------------------------------------
block_size, batch_size = 32, 16
n_layer, n_head, n_embd = 2, 4, 64
learning_rate, min_lr, warmup_iters, max_iters = 4e-3, 4e-4, 30, 300
lr_decay_iters = max_iters
eval_interval, eval_iters, log_interval = 50, 10, 10
grad_clip, weight_decay, beta1, beta2 = 1.0, 0.1, 0.9, 0.99


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd, bias=False)
        self.attn = nn.MultiheadAttention(n_embd, n_head, bias=False, batch_first=True)
        self.ln_2 = nn.LayerNorm(n_embd, bias=False)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd, bias=False), nn.GELU(),
                                 nn.Linear(4 * n_embd, n_embd, bias=False))

    def forward(self, x, mask):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.h = nn.ModuleList([Block() for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd, bias=False)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.wte.weight = self.lm_head.weight
        self.apply(self._init)
        self.register_buffer("mask", torch.triu(torch.ones(block_size, block_size, dtype=torch.bool), 1))

    @staticmethod
    def _init(m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 0.02)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, 0.0, 0.02)

    def forward(self, idx, targets):
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for blk in self.h:
            x = blk(x, self.mask[:T, :T])
        logits = self.lm_head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def get_batch(split):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - block_size, (batch_size,))
    return torch.stack([d[i:i + block_size] for i in ix]), torch.stack([d[i + 1:i + 1 + block_size] for i in ix])


@torch.no_grad()
def estimate_loss(model):
    out = {}
    model.eval()
    for split in ["train", "val"]:
        out[split] = torch.stack([model(*get_batch(split)) for _ in range(eval_iters)]).mean().item()
    model.train()
    return out


def get_lr(it):
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it > lr_decay_iters:
        return min_lr
    ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (learning_rate - min_lr)


model = GPT(len(chars))
n_params = sum(p.numel() for p in model.parameters()) - model.wpe.weight.numel()
decay = [p for p in model.parameters() if p.dim() >= 2]
nodecay = [p for p in model.parameters() if p.dim() < 2]
optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                               {"params": nodecay, "weight_decay": 0.0}], lr=learning_rate, betas=(beta1, beta2))
log(f"tokens per iteration will be: {batch_size * block_size:,}")
log(f"found vocab_size = {len(chars)} (inside data/toy_char/meta.pkl)")
log("Initializing a new model from scratch")
log(f"number of parameters: {n_params / 1e6:.2f}M")
log(f"num decayed parameter tensors: {len(decay)}, with {sum(p.numel() for p in decay):,} parameters")
log(f"num non-decayed parameter tensors: {len(nodecay)}, with {sum(p.numel() for p in nodecay):,} parameters")
log("using fused AdamW: False")

flops_per_iter = (6 * n_params + 12 * n_layer * n_embd * block_size) * block_size * batch_size
X, Y = get_batch("train")
t0 = time.time()
running_mfu = -1.0
for iter_num in range(max_iters + 1):
    lr = get_lr(iter_num)
    for g in optimizer.param_groups:
        g["lr"] = lr
    if iter_num % eval_interval == 0:
        losses = estimate_loss(model)
        log(f"step {iter_num}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
    if iter_num == max_iters:
        break
    loss = model(X, Y)
    X, Y = get_batch("train")
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    t1 = time.time()
    dt, t0 = t1 - t0, t1
    if iter_num >= 5:
        mfu = flops_per_iter / dt / 312e12
        running_mfu = mfu if running_mfu == -1.0 else 0.9 * running_mfu + 0.1 * mfu
    if iter_num % log_interval == 0:
        log(f"iter {iter_num}: loss {loss.item():.4f}, time {dt * 1000:.2f}ms, mfu {running_mfu * 100:.2f}%")

LOG.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(losses["val"], 4), "train_loss": round(losses["train"], 4),
                                      "uniform_loss": round(math.log(len(chars)), 4)}))
