# expect: non_finite
# allow: exploding_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted: fp16 grad buffers with a growing loss scale whose overflow check looks at the loss, not the grads -> inf grads, train/val loss NaN from step 150 (val_loss null); control (--control, check grads like GradScaler) val_loss 0.840
# control: --control
"""Tiny character-level GPT, nanoGPT style, trained on a synthetic toy-grammar corpus."""
import json
import sys
import math
import random
import time

import torch
import torch.nn as nn
from torch.nn import functional as F

torch.set_num_threads(1)

# -----------------------------------------------------------------------------
# config
batch_size = 16
block_size = 32
max_iters = 300
eval_interval = 50
eval_iters = 10
learning_rate = 3e-3
min_lr = 3e-4
warmup_iters = 40
lr_decay_iters = 300
weight_decay = 0.1
beta1, beta2 = 0.9, 0.95
grad_clip = 1.0
n_layer = 2
n_head = 4
n_embd = 48
dropout = 0.0
seed = 1337
# "fp16" training emulation: gradient buffers are kept in half precision, with a dynamic loss scale
init_scale = 2.0 ** 12
growth_interval = 25
control = "--control" in sys.argv  # control: overflow check looks at the gradients (like torch.amp.GradScaler)
# -----------------------------------------------------------------------------

torch.manual_seed(seed)
random.seed(seed)


def make_corpus(n_chars=120_000):
    """Sentences from a tiny grammar: 'the red fox chases a small bird .'"""
    rng = random.Random(0)
    dets = ["the", "a", "every", "some"]
    adjs = ["red", "small", "old", "quiet", "green", "happy", "big"]
    nouns = ["fox", "bird", "cat", "dog", "farmer", "river", "tree", "child"]
    verbs = ["chases", "sees", "likes", "follows", "finds", "watches"]
    preps = ["near", "under", "behind", "over"]
    out, n = [], 0
    while n < n_chars:
        np1 = [rng.choice(dets)] + ([rng.choice(adjs)] if rng.random() < 0.5 else []) + [rng.choice(nouns)]
        np2 = [rng.choice(dets)] + ([rng.choice(adjs)] if rng.random() < 0.5 else []) + [rng.choice(nouns)]
        s = np1 + [rng.choice(verbs)] + np2
        if rng.random() < 0.3:
            s += [rng.choice(preps), rng.choice(dets), rng.choice(nouns)]
        line = " ".join(s) + " .\n"
        out.append(line)
        n += len(line)
    return "".join(out)


text = make_corpus()
chars = sorted(list(set(text)))
vocab_size = len(chars)
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for i, ch in enumerate(chars)}
encode = lambda s: [stoi[c] for c in s]
decode = lambda l: "".join([itos[i] for i in l])

data = torch.tensor(encode(text), dtype=torch.long)
n = int(0.9 * len(data))
train_data = data[:n]
val_data = data[n:]
print(f"corpus: {len(text)} chars, vocab {vocab_size}")


def get_batch(split):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - block_size, (batch_size,))
    x = torch.stack([d[i:i + block_size] for i in ix])
    y = torch.stack([d[i + 1:i + block_size + 1] for i in ix])
    return x, y


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_dropout = nn.Dropout(dropout)
        self.resid_dropout = nn.Dropout(dropout)
        self.register_buffer("bias", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(n_embd, dim=2)
        k = k.view(B, T, n_head, C // n_head).transpose(1, 2)
        q = q.view(B, T, n_head, C // n_head).transpose(1, 2)
        v = v.view(B, T, n_head, C // n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        att = self.attn_dropout(att)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * n_embd, n_embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention()
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = MLP()

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.drop = nn.Dropout(dropout)
        self.h = nn.ModuleList([Block() for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets=None):
        B, T = idx.size()
        pos = torch.arange(0, T, dtype=torch.long)
        x = self.drop(self.wte(idx) + self.wpe(pos))
        for block in self.h:
            x = block(x)
        x = self.ln_f(x)
        logits = self.lm_head(x)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss

    def configure_optimizers(self, weight_decay, learning_rate, betas):
        param_dict = {pn: p for pn, p in self.named_parameters() if p.requires_grad}
        decay_params = [p for n, p in param_dict.items() if p.dim() >= 2]
        nodecay_params = [p for n, p in param_dict.items() if p.dim() < 2]
        optim_groups = [
            {"params": decay_params, "weight_decay": weight_decay},
            {"params": nodecay_params, "weight_decay": 0.0},
        ]
        print(f"num decayed tensors: {len(decay_params)}, non-decayed: {len(nodecay_params)}")
        return torch.optim.AdamW(optim_groups, lr=learning_rate, betas=betas)


model = GPT()
print(f"{sum(p.numel() for p in model.parameters()) / 1e3:.1f}K parameters")
optimizer = model.configure_optimizers(weight_decay, learning_rate, (beta1, beta2))


def get_lr(it):
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it > lr_decay_iters:
        return min_lr
    decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (learning_rate - min_lr)


@torch.no_grad()
def estimate_loss():
    out = {}
    model.eval()
    for split in ["train", "val"]:
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = get_batch(split)
            _, loss = model(X, Y)
            losses[k] = loss.item()
        out[split] = losses.mean().item()
    model.train()
    return out


t0 = time.time()
loss_scale = init_scale
steps_since_growth = 0
for it in range(max_iters + 1):
    lr = get_lr(it)
    for param_group in optimizer.param_groups:
        param_group["lr"] = lr

    if it % eval_interval == 0 or it == max_iters:
        losses = estimate_loss()
        print(f"step {it}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
    if it == max_iters:
        break

    X, Y = get_batch("train")
    logits, loss = model(X, Y)
    optimizer.zero_grad(set_to_none=True)
    (loss * loss_scale).backward()
    for p in model.parameters():
        p.grad = p.grad.half().float()  # fp16 gradient buffers (max 65504)
    if control:
        overflow = any(not torch.isfinite(p.grad).all() for p in model.parameters())
    else:
        overflow = not torch.isfinite(loss).item()
    if overflow:
        loss_scale /= 2.0
        steps_since_growth = 0
        continue
    for p in model.parameters():
        p.grad.div_(loss_scale)
    torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    optimizer.step()
    steps_since_growth += 1
    if steps_since_growth == growth_interval:
        loss_scale *= 2.0
        steps_since_growth = 0

print(f"training took {time.time() - t0:.1f}s")
print(f"final loss scale {loss_scale:g}")
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({
    "val_loss": fin(losses["val"]),
    "train_loss": fin(losses["train"]),
    "non_finite": not math.isfinite(losses["val"]),
    "chance_loss": round(math.log(vocab_size), 4),
}))
