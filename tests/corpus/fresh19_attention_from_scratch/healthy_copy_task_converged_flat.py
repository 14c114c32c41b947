#!/usr/bin/env python3
"""Decoder-only transformer on the copy task:  d1 .. d8 <sep> d1 .. d8.

The second half is fully determined by the first, so a correct model drives BOTH the
training and the held-out loss on the copied half to ~0; the last epochs just sit there
(flat, at their best). Loss is computed on the copied half only (first half is random).
Writes a plain-text training log (one line per epoch) to $CORPUS_LOG_DIR/copy_train.log.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy; held-out greedy copy exact-match 1.00 on 500 unseen strings, val loss 0.0054 = train loss 0.0054 (both ~0; val flat at its minimum over the last epochs, no gap)
# native-log: copy_train.log
# log-expect:
# log-allow:
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(99)

K, NDIG = 8, 10
SEP = NDIG
V = NDIG + 1
T = 2 * K + 1


def make(n):
    d = torch.randint(0, NDIG, (n, K))
    return torch.cat([d, torch.full((n, 1), SEP), d], dim=1)


train_seqs, val_seqs = make(3000), make(500)


class Head(nn.Module):
    """One causal attention head, mask built by hand."""

    def __init__(self, d, hs):
        super().__init__()
        self.key = nn.Linear(d, hs, bias=False)
        self.query = nn.Linear(d, hs, bias=False)
        self.value = nn.Linear(d, hs, bias=False)
        self.register_buffer("tril", torch.tril(torch.ones(T, T)))

    def forward(self, x):
        B, L, _ = x.shape
        k, q = self.key(x), self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
        wei = wei.masked_fill(self.tril[:L, :L] == 0, float("-inf"))
        return F.softmax(wei, dim=-1) @ self.value(x)


class MultiHeadAttention(nn.Module):
    def __init__(self, d, n):
        super().__init__()
        self.heads = nn.ModuleList([Head(d, d // n) for _ in range(n)])
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        return self.proj(torch.cat([h(x) for h in self.heads], dim=-1))


class Block(nn.Module):
    def __init__(self, d, n):
        super().__init__()
        self.sa = MultiHeadAttention(d, n)
        self.ffwd = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x):
        x = x + self.sa(self.ln1(x))
        return x + self.ffwd(self.ln2(x))


class CopyLM(nn.Module):
    def __init__(self, d=48, n_head=4, n_layer=2):
        super().__init__()
        self.token_embedding_table = nn.Embedding(V, d)
        self.position_embedding_table = nn.Embedding(T, d)
        self.blocks = nn.Sequential(*[Block(d, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, V)

    def forward(self, idx):
        L = idx.shape[1]
        x = self.token_embedding_table(idx) + self.position_embedding_table(torch.arange(L))
        return self.lm_head(self.ln_f(self.blocks(x)))


def copy_loss(model, seqs):
    logits = model(seqs[:, :-1])
    # predict positions K+1 .. 2K (the copy), i.e. logits at K .. 2K-1
    return F.cross_entropy(logits[:, K:].reshape(-1, V), seqs[:, K + 1:].reshape(-1))


@torch.no_grad()
def greedy_copy(model, seqs):
    ctx = seqs[:, :K + 1]
    for _ in range(K):
        nxt = model(ctx)[:, -1].argmax(-1, keepdim=True)
        ctx = torch.cat([ctx, nxt], 1)
    return (ctx[:, K + 1:] == seqs[:, K + 1:]).all(1).float().mean().item()


model = CopyLM()
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.0)
EPOCHS, BS = 7, 64
steps = EPOCHS * (len(train_seqs) // BS)
sched = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / 50) * 0.5 * (1 + math.cos(math.pi * s / steps)))

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
with open(os.path.join(log_dir, "copy_train.log"), "w") as log:
    for epoch in range(1, EPOCHS + 1):
        model.train()
        perm = torch.randperm(len(train_seqs))
        running = []
        for i in range(0, len(perm) - BS + 1, BS):
            loss = copy_loss(model, train_seqs[perm[i:i + BS]])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            sched.step()
            running.append(loss.item())
        model.eval()
        with torch.no_grad():
            vloss = copy_loss(model, val_seqs).item()
        tloss = sum(running) / len(running)
        line = f"epoch {epoch}/{EPOCHS} - train_loss: {tloss:.5f} - val_loss: {vloss:.5f} - lr: {sched.get_last_lr()[0]:.2e}"
        print(line)
        log.write(line + "\n")

model.eval()
with torch.no_grad():
    train_eval = copy_loss(model, train_seqs[:1000]).item()
exact = greedy_copy(model, val_seqs)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 5), "val_exact_match": round(exact, 4),
                                     "train_loss": round(train_eval, 5), "chance_token_acc": 0.1}))
