# expect: non_finite
# allow: exploding_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted: masked mean pooling divides by 0 for empty docs (35 train / 16 val) -> loss NaN at step 1, val_loss null, val_acc 0.504; control (--control, count clamped to >=1) val_loss 0.012, val_acc 0.984
# control: --control
# Hand-written bidirectional encoder with masked mean pooling; task: does the document hold more A than B tokens? About 1% of the "documents" are empty
# after cleaning (all padding); the pooling divides by the number of real tokens, which is 0 for them.
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(3)
CONTROL = "--control" in sys.argv  # control: guard the division (count clamped to >= 1)

PAD, TOK_A, TOK_B = 0, 1, 2
V, L = 24, 20
D, H, N_LAYERS = 48, 4, 2
BATCH, STEPS, LR, WARMUP = 64, 200, 1e-3, 20


def make_docs(n, seed, empty_frac=0.01):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(3, V, (n, L), generator=g)
    lengths = torch.randint(10, L + 1, (n,), generator=g)
    empty = torch.rand(n, generator=g) < empty_frac
    lengths[empty] = 0
    y = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        n_i = lengths[i].item()
        if n_i == 0:
            continue
        n_a, n_b = torch.randperm(5, generator=g)[:2].tolist()  # distinct counts 0..4
        pos = torch.randperm(n_i, generator=g)[:n_a + n_b].tolist()
        for j, pp in enumerate(pos):
            x[i, pp] = TOK_A if j < n_a else TOK_B
        y[i] = int(n_a > n_b)
    x[torch.arange(L)[None, :] >= lengths[:, None]] = PAD
    return x, y


Xtr, Ytr = make_docs(3000, 10)
Xva, Yva = make_docs(1000, 11)
print(f"empty docs: train {(Xtr != PAD).sum(1).eq(0).sum().item()}, val {(Xva != PAD).sum(1).eq(0).sum().item()}")


class MHA(nn.Module):
    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(D, 3 * D)
        self.out = nn.Linear(D, D)

    def forward(self, x, key_mask):
        B, T, _ = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, H, D // H).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(D // H)
        scores = scores.masked_fill(~key_mask[:, None, None, :], -1e9)
        a = scores.softmax(-1)
        return self.out((a @ v).transpose(1, 2).reshape(B, T, D))


class EncoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = MHA()
        self.ff = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))
        self.n1, self.n2 = nn.LayerNorm(D), nn.LayerNorm(D)

    def forward(self, x, m):
        x = self.n1(x + self.attn(x, m))
        return self.n2(x + self.ff(x))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, D, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(L, D) * 0.02)
        self.ln = nn.LayerNorm(D)
        self.layers = nn.ModuleList(EncoderLayer() for _ in range(N_LAYERS))
        self.cls = nn.Linear(D, 2)

    def forward(self, ids):
        m = ids != PAD
        h = self.ln(self.emb(ids) + self.pos)
        for layer in self.layers:
            h = layer(h, m)
        mf = m.unsqueeze(-1).float()
        count = mf.sum(1)
        if CONTROL:
            count = count.clamp(min=1.0)
        pooled = (h * mf).sum(1) / count  # masked mean over real tokens
        return self.cls(pooled)


model = Encoder()
decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "pos" not in n]
other = [p for n, p in model.named_parameters() if not (p.dim() >= 2 and "pos" not in n)]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": other, "weight_decay": 0.0}], lr=LR)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / WARMUP, max(0.05, (STEPS - s) / (STEPS - WARMUP))))


@torch.no_grad()
def evaluate():
    model.eval()
    logits = model(Xva)
    loss = F.cross_entropy(logits, Yva).item()
    acc = (logits.argmax(1) == Yva).float().mean().item()
    model.train()
    return loss, acc


first_bad = None
for step in range(1, STEPS + 1):
    idx = torch.randint(0, len(Xtr), (BATCH,))
    logits = model(Xtr[idx])
    loss = F.cross_entropy(logits, Ytr[idx])
    if first_bad is None and not torch.isfinite(loss):
        first_bad = step
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 50 == 0:
        vl, va = evaluate()
        print(f"step {step:4d}  loss {loss.item():.4f}  val_loss {vl:.4f}  val_acc {va:.3f}")

vl, va = evaluate()
print(f"first non-finite training loss at step {first_bad}")
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4) if math.isfinite(vl) else None, "val_acc": round(va, 4),
    "train_loss": round(loss.item(), 4) if math.isfinite(loss.item()) else None,
    "non_finite": not math.isfinite(vl), "first_nonfinite_step": first_bad, "chance_acc": 0.5,
}))
