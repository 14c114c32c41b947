# expect:
# allow:
# forbid: *
# evidence: val loss 2.54 -> 1.40 nats (uniform 2.48, source entropy rate ~1.25), train 1.33; val token acc 0.55; val loss falls at every eval
"""nanoGPT-style train.py scaled down: a 2-layer GPT (causal self-attention, GELU MLP, weight-tied
lm_head, scaled init of c_proj) on a synthetic order-2 Markov "language" over 24 tokens.
get_batch() samples random windows, estimate_loss() evaluates train/val splits every eval_interval,
AdamW with weight decay only on 2-D params, warm-up + cosine get_lr(it), grad clip 1.0. Healthy:
the val loss approaches the source's entropy rate (the best achievable loss).
"""
import json, math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
# -----------------------------------------------------------------------------
batch_size = 32; block_size = 32; n_layer = 2; n_head = 4; n_embd = 64; dropout = 0.0
learning_rate = 3e-3; max_iters = 400; warmup_iters = 40; lr_decay_iters = 400; min_lr = 3e-4
eval_interval = 100; eval_iters = 10; grad_clip = 1.0; weight_decay = 0.1; vocab_size = 12
# -----------------------------------------------------------------------------
torch.manual_seed(1337); g = torch.Generator().manual_seed(1337)
# order-2 Markov source: each (a, b) context has a peaked next-token distribution
T = torch.softmax(2.5 * torch.randn(vocab_size, vocab_size, vocab_size, generator=g), -1)
entropy_rate = float(-(T * T.clamp_min(1e-12).log()).sum(-1).mean())  # uniform-context approx.


def sample_stream(n):
    s = [0, 1]
    u = torch.rand(n, generator=g)
    cdf = T.cumsum(-1)
    for i in range(n):
        s.append(int(torch.searchsorted(cdf[s[-2], s[-1]], u[i].unsqueeze(0)).clamp(max=vocab_size - 1)))
    return torch.tensor(s)


data = sample_stream(30000); n = int(0.9 * len(data)); train_data, val_data = data[:n], data[n:]


def get_batch(split):
    d = train_data if split == "train" else val_data
    ix = torch.randint(len(d) - block_size, (batch_size,), generator=g)
    return torch.stack([d[i:i + block_size] for i in ix]), torch.stack([d[i + 1:i + 1 + block_size] for i in ix])


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd); self.c_proj = nn.Linear(n_embd, n_embd)

    def forward(self, x):
        B, Tt, C = x.size()
        q, k, v = self.c_attn(x).split(n_embd, dim=2)
        q, k, v = (t.view(B, Tt, n_head, C // n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, Tt, C))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd); self.attn = CausalSelfAttention(); self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd); self.wpe = nn.Embedding(block_size, n_embd)
        self.h = nn.ModuleList([Block() for _ in range(n_layer)]); self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False); self.wte.weight = self.lm_head.weight
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith("c_proj.weight") or pn.endswith("mlp.2.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    def _init_weights(self, m):
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Embedding):
            nn.init.normal_(m.weight, 0.0, 0.02)

    def forward(self, idx, targets=None):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        for b in self.h:
            x = b(x)
        logits = self.lm_head(self.ln_f(x))
        loss = None if targets is None else F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss


@torch.no_grad()
def estimate_loss(model):
    out = {}; model.eval()
    for split in ["train", "val"]:
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = get_batch(split); losses[k] = model(X, Y)[1].item()
        out[split] = losses.mean().item()
    model.train(); return out


def get_lr(it):
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it > lr_decay_iters:
        return min_lr
    ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (learning_rate - min_lr)


model = GPT()
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.AdamW([{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
                               {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}],
                              lr=learning_rate, betas=(0.9, 0.95))
print(f"number of parameters: {sum(p.numel() for p in params) / 1e3:.1f}K; source entropy rate ~{entropy_rate:.3f} nats")
for it in range(max_iters + 1):
    lr = get_lr(it)
    for pg in optimizer.param_groups:
        pg["lr"] = lr
    if it % eval_interval == 0:
        losses = estimate_loss(model)
        print(f"step {it}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
    if it == max_iters:
        break
    X, Y = get_batch("train")
    _, loss = model(X, Y)
    optimizer.zero_grad(set_to_none=True); loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip); optimizer.step()
    if it % 25 == 0:
        print(f"iter {it}: loss {loss.item():.4f}, lr {lr:.2e}")
with torch.no_grad():
    model.eval(); X, Y = val_data[:-1][: 40 * block_size].view(40, block_size), val_data[1:][: 40 * block_size].view(40, block_size)
    logits, _ = model(X); acc = (logits.argmax(-1) == Y).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(losses["val"], 4), "train_loss": round(losses["train"], 4),
                                     "val_token_acc": round(acc, 4), "entropy_rate": round(entropy_rate, 4),
                                     "uniform_loss": round(math.log(vocab_size), 4)}))
