# Encoder-decoder transformer (post-LN, as in Vaswani et al.) learning to reverse digit strings.
# Noam schedule (warm-up then 1/sqrt(step)) via LambdaLR, Adam(0.9, 0.98), shared decoder
# input/output embedding, hand-built causal mask for the decoder, label smoothing 0.1.
# Held-out metric: greedy autoregressive decoding on unseen strings (not teacher forcing).
#
# expect:
# allow:
# forbid: *
# evidence: healthy; greedy decoding on 500 unseen strings: token acc 0.985, exact-match 0.917 (chance token acc 0.10); teacher-forced val CE 0.139; smoothed train CE ~0.66 is the label-smoothing floor
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
random.seed(0)

PAD, BOS, EOS = 10, 11, 12
VOCAB = 13
L = 8
D_MODEL = 48


def make_pair():
    n = random.randint(4, L)
    s = [random.randrange(10) for _ in range(n)]
    return s, s[::-1]


def batchify(pairs):
    src = torch.full((len(pairs), L), PAD)
    tgt = torch.full((len(pairs), L + 2), PAD)
    for i, (a, b) in enumerate(pairs):
        src[i, :len(a)] = torch.tensor(a)
        tgt[i, :len(b) + 2] = torch.tensor([BOS] + b + [EOS])
    return src, tgt


class MultiHead(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.wq, self.wk, self.wv, self.wo = (nn.Linear(d, d) for _ in range(4))

    def forward(self, q_in, kv_in, mask):
        B, Tq, D = q_in.shape
        Tk = kv_in.shape[1]
        q = self.wq(q_in).view(B, Tq, self.h, -1).transpose(1, 2)
        k = self.wk(kv_in).view(B, Tk, self.h, -1).transpose(1, 2)
        v = self.wv(kv_in).view(B, Tk, self.h, -1).transpose(1, 2)
        s = q @ k.transpose(-1, -2) / math.sqrt(D // self.h)
        s = s.masked_fill(~mask, -1e9)
        return self.wo((s.softmax(-1) @ v).transpose(1, 2).reshape(B, Tq, D))


class EncLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.sa = MultiHead(d, h)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, x, m):
        x = self.n1(x + self.sa(x, x, m))
        return self.n2(x + self.ff(x))


class DecLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.sa, self.ca = MultiHead(d, h), MultiHead(d, h)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.ReLU(), nn.Linear(2 * d, d))
        self.n1, self.n2, self.n3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, y, mem, self_mask, cross_mask):
        y = self.n1(y + self.sa(y, y, self_mask))
        y = self.n2(y + self.ca(y, mem, cross_mask))
        return self.n3(y + self.ff(y))


class Seq2Seq(nn.Module):
    def __init__(self, d=D_MODEL, h=4):
        super().__init__()
        self.src_emb = nn.Embedding(VOCAB, d)
        self.tgt_emb = nn.Embedding(VOCAB, d)
        self.pos = nn.Embedding(L + 2, d)
        self.enc = nn.ModuleList([EncLayer(d, h) for _ in range(2)])
        self.dec = nn.ModuleList([DecLayer(d, h) for _ in range(2)])
        self.d = d

    def encode(self, src):
        m = (src != PAD)[:, None, None, :]
        x = self.src_emb(src) * math.sqrt(self.d) + self.pos(torch.arange(src.shape[1]))
        for layer in self.enc:
            x = layer(x, m)
        return x, m

    def decode(self, tgt_in, mem, src_m):
        T = tgt_in.shape[1]
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        self_m = causal[None, None] & (tgt_in != PAD)[:, None, None, :]
        self_m = self_m | torch.eye(T, dtype=torch.bool)  # a pad query may still attend to itself
        y = self.tgt_emb(tgt_in) * math.sqrt(self.d) + self.pos(torch.arange(T))
        for layer in self.dec:
            y = layer(y, mem, self_m, src_m)
        return y @ self.tgt_emb.weight.t()  # tied output projection

    def forward(self, src, tgt_in):
        mem, m = self.encode(src)
        return self.decode(tgt_in, mem, m)

    @torch.no_grad()
    def greedy(self, src, max_len=L + 1):
        mem, m = self.encode(src)
        ys = torch.full((src.shape[0], 1), BOS)
        for _ in range(max_len):
            nxt = self.decode(ys, mem, m)[:, -1].argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], 1)
        return ys[:, 1:]


model = Seq2Seq()
for p in model.parameters():
    if p.dim() > 1:
        nn.init.xavier_uniform_(p)
WARMUP = 100
opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
noam = lambda step: 1.0 * D_MODEL ** -0.5 * min((step + 1) ** -0.5, (step + 1) * WARMUP ** -1.5)
sched = torch.optim.lr_scheduler.LambdaLR(opt, noam)

val_pairs = [make_pair() for _ in range(420)]
vsrc, vtgt = batchify(val_pairs)

for step in range(420):
    src, tgt = batchify([make_pair() for _ in range(32)])
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), tgt[:, 1:].reshape(-1), ignore_index=PAD, label_smoothing=0.1)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 100 == 0:
        print(f"step {step:4d} loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.2e}")

model.eval()
with torch.no_grad():
    vlog = model(vsrc, vtgt[:, :-1])
    vloss = F.cross_entropy(vlog.reshape(-1, VOCAB), vtgt[:, 1:].reshape(-1), ignore_index=PAD).item()
    out = model.greedy(vsrc)
gold = vtgt[:, 1:]
mask = gold != PAD
tok_acc = ((out == gold) & mask).sum().item() / mask.sum().item()
exact = (((out == gold) | ~mask).all(1)).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(tok_acc, 4),
                                     "val_exact_match": round(exact, 4), "train_loss": round(loss.item(), 4),
                                     "chance_acc": 0.1}))
