# expect:
# allow:
# forbid: *
# evidence: healthy 3-layer GPT with dropout 0.1 on synthetic log records; val loss 3.26 -> 0.426 (train 0.412), train/val together throughout
"""GPT with dropout 0.1, 3 layers, block 64, dataclass config; char-level LM on synthetic log-like records."""
import argparse
import json
import math
import random
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

parser = argparse.ArgumentParser()
parser.add_argument("--max-iters", type=int, default=250)
parser.add_argument("--lr", type=float, default=3e-3)
parser.add_argument("--batch-size", type=int, default=8)
parser.add_argument("--eval-every", type=int, default=50)
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()
torch.manual_seed(args.seed)


def synth_records(n_chars, seed):
    rng = random.Random(seed)
    users = ["alice", "bob", "carol", "dave", "erin", "frank"]
    actions = ["login", "logout", "upload", "delete", "view"]
    out, n = [], 0
    while n < n_chars:
        u = rng.choice(users)
        a = rng.choice(actions)
        code = "200" if rng.random() < 0.8 else rng.choice(["404", "500"])
        line = f"user={u} action={a} status={code}\n"
        out.append(line)
        n += len(line)
    return "".join(out)


raw = synth_records(90_000, seed=0)
vocab = sorted(set(raw))
stoi = {c: i for i, c in enumerate(vocab)}
data = torch.tensor([stoi[c] for c in raw], dtype=torch.long)
split = int(len(data) * 0.9)
splits = {"train": data[:split], "val": data[split:]}


@dataclass
class GPTConfig:
    vocab_size: int
    block_size: int = 64
    n_layer: int = 3
    n_head: int = 4
    n_embd: int = 32
    dropout: float = 0.1
    bias: bool = True


def get_batch(split_name, cfg, bs):
    d = splits[split_name]
    ix = torch.randint(len(d) - cfg.block_size, (bs,))
    x = torch.stack([d[i:i + cfg.block_size] for i in ix])
    y = torch.stack([d[i + 1:i + 1 + cfg.block_size] for i in ix])
    return x, y


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_head = cfg.n_head
        self.qkv = nn.Linear(cfg.n_embd, 3 * cfg.n_embd, bias=cfg.bias)
        self.proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=cfg.bias)
        self.dropout = cfg.dropout
        self.resid_drop = nn.Dropout(cfg.dropout)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True,
                                           dropout_p=self.dropout if self.training else 0.0)
        y = y.transpose(1, 2).reshape(B, T, C)
        return self.resid_drop(self.proj(y))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.n_embd)
        self.attn = SelfAttention(cfg)
        self.ln2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = nn.Sequential(
            nn.Linear(cfg.n_embd, 4 * cfg.n_embd, bias=cfg.bias),
            nn.GELU(),
            nn.Linear(4 * cfg.n_embd, cfg.n_embd, bias=cfg.bias),
            nn.Dropout(cfg.dropout),
        )

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.pos_emb = nn.Embedding(cfg.block_size, cfg.n_embd)
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.Sequential(*[Block(cfg) for _ in range(cfg.n_layer)])
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, idx, targets=None):
        T = idx.shape[1]
        x = self.drop(self.tok_emb(idx) + self.pos_emb(torch.arange(T)))
        x = self.ln_f(self.blocks(x))
        logits = self.head(x)
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss


cfg = GPTConfig(vocab_size=len(vocab))
model = GPT(cfg)

decay, no_decay = [], []
for name, p in model.named_parameters():
    (decay if p.dim() >= 2 else no_decay).append(p)
optimizer = torch.optim.AdamW([
    {"params": decay, "weight_decay": 0.1},
    {"params": no_decay, "weight_decay": 0.0},
], lr=args.lr, betas=(0.9, 0.99))

warmup = 30
min_lr = args.lr / 10


def get_lr(it):
    if it < warmup:
        return args.lr * (it + 1) / warmup
    ratio = min(1.0, (it - warmup) / max(1, args.max_iters - warmup))
    return min_lr + 0.5 * (1 + math.cos(math.pi * ratio)) * (args.lr - min_lr)


@torch.no_grad()
def estimate_loss(n_batches=8):
    model.eval()
    res = {}
    for s in ("train", "val"):
        tot = 0.0
        for _ in range(n_batches):
            xb, yb = get_batch(s, cfg, args.batch_size)
            tot += model(xb, yb)[1].item()
        res[s] = tot / n_batches
    model.train()
    return res


model.train()
for it in range(args.max_iters + 1):
    for g in optimizer.param_groups:
        g["lr"] = get_lr(it)
    if it % args.eval_every == 0 or it == args.max_iters:
        losses = estimate_loss()
        print(f"step {it}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}, lr {get_lr(it):.2e}")
    if it == args.max_iters:
        break
    xb, yb = get_batch("train", cfg, args.batch_size)
    _, loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(losses["val"], 4),
                                     "train_loss": round(losses["train"], 4),
                                     "chance_loss": round(math.log(len(vocab)), 4)}))
