# expect:
# allow:
# forbid: *
# evidence: ALiBi LM reaches held-out accuracy 0.917 on the copied characters (chance 0.038); val loss 3.50 -> 1.088 (floor ~0.87 from the random first word), train 1.069
"""Decoder-only LM with ALiBi attention biases (no position embeddings).

Each line is a random 4-letter word repeated three times ("qwer qwer qwer\n"); the first copy is
unpredictable, the two repeats are fully determined by context. We report held-out accuracy on the
repeat characters.
"""
import json
import math
import random
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(7)
random.seed(7)

ALPHA = "abcdefghijklmnopqrstuvwxyz"
VOCAB = ALPHA + " \n"
C2I = {c: i for i, c in enumerate(VOCAB)}
CTX = 30
LINE = 15  # "abcd abcd abcd\n"


def corpus(n_lines):
    out = []
    for _ in range(n_lines):
        w = "".join(random.choice(ALPHA) for _ in range(4))
        out.append(" ".join([w] * 3) + "\n")
    return torch.tensor([C2I[c] for c in "".join(out)])


def alibi_slopes(n_heads):
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (i + 1) for i in range(n_heads)])


class AlibiAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.proj = nn.Linear(dim, dim)
        pos = torch.arange(CTX)
        dist = (pos[None, :] - pos[:, None]).float()          # j - i  (<= 0 in the causal part)
        bias = alibi_slopes(heads)[:, None, None] * dist[None]
        bias = bias.masked_fill(dist[None] > 0, float("-inf"))
        self.register_buffer("bias", bias)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).reshape(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(D // self.heads) + self.bias[:, :T, :T]
        out = scores.softmax(-1) @ v
        return self.proj(out.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = AlibiAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, 3 * dim), nn.GELU(), nn.Linear(3 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class AlibiLM(nn.Module):
    def __init__(self, vocab, dim=64, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.ln = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, vocab)

    def forward(self, idx, targets=None):
        x = self.emb(idx)
        for b in self.blocks:
            x = b(x)
        logits = self.out(self.ln(x))
        loss = None if targets is None else F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss


train_ids, val_ids = corpus(3000), corpus(300)


def sample(ids, bs=32, gen=None):
    # start at line boundaries so the repeat positions are known
    starts = torch.randint(0, len(ids) // LINE - 3, (bs,), generator=gen) * LINE
    x = torch.stack([ids[s:s + CTX] for s in starts])
    y = torch.stack([ids[s + 1:s + CTX + 1] for s in starts])
    return x, y


# target positions t whose char lies in the 2nd/3rd copy of a word (line offsets 5-8, 10-13)
tpos = torch.arange(CTX) + 1
repeat_mask = torch.isin(tpos % LINE, torch.tensor([5, 6, 7, 8, 10, 11, 12, 13]))

model = AlibiLM(len(VOCAB))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
steps, warm = 340, 34
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (steps - warm))))


@torch.no_grad()
def evaluate():
    model.eval()
    g = torch.Generator().manual_seed(0)
    res = {}
    for name, ids in (("train", train_ids), ("val", val_ids)):
        x, y = sample(ids, 128, g)
        logits, loss = model(x, y)
        acc = (logits.argmax(-1) == y)[:, repeat_mask].float().mean().item()
        res[name] = (loss.item(), acc)
    model.train()
    return res


for step in range(steps):
    x, y = sample(train_ids)
    _, loss = model(x, y)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 85 == 0 or step == steps - 1:
        r = evaluate()
        print(f"step {step:3d}  train_loss {r['train'][0]:.3f}  val_loss {r['val'][0]:.3f}  "
              f"val_repeat_acc {r['val'][1]:.3f}", file=sys.stdout)

r = evaluate()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(r["val"][0], 4), "train_loss": round(r["train"][0], 4),
                                     "val_repeat_acc": round(r["val"][1], 4), "chance_acc": round(1 / 26, 4)}))
