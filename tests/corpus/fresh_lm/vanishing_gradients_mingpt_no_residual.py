# expect: vanishing_gradients
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted: embedding grad norm ~1e-7 (mean 7.5e-3, from the first steps) vs last block 7.6e-2, val_loss 2.573 = unigram 2.567; control (residuals) embedding grad 0.57, val_loss 0.248
# control: --control
# Hand-written minGPT-style char model (6 blocks, causal self-attention + MLP, LayerNorm) on text
# from a word-level Markov chain. Planted: the blocks were "simplified" to x = attn(ln(x));
# x = mlp(ln(x)) - the residual connections are gone, so the gradient reaching the embeddings and
# the lower blocks has to pass through 12 sub-layers. --control restores x = x + f(ln(x)).
import argparse
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
RESIDUAL = args.control

torch.set_num_threads(1)
torch.manual_seed(17)
rr = random.Random(17)

WORDS = ["sun", "moon", "star", "rain", "wind", "snow", "fog", "hail", "storm", "cloud", "sky", "dawn"]
FOLLOW = {w: rr.sample(WORDS, 2) for w in WORDS}


def gen_text(n):
    w, out = rr.choice(WORDS), []
    while sum(len(t) + 1 for t in out) < n:
        out.append(w)
        w = rr.choice(FOLLOW[w])
    return " ".join(out)[:n]


tr_s, va_s = gen_text(30000), gen_text(5000)
itos = sorted(set(tr_s + va_s))
V = len(itos)
stoi = {c: i for i, c in enumerate(itos)}
tr = torch.tensor([stoi[c] for c in tr_s])
va = torch.tensor([stoi[c] for c in va_s])
T, D, NL = 24, 48, 6


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.qkv, self.proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.mlp = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))
        self.register_buffer("causal", torch.tril(torch.ones(T, T)).bool())

    def attn(self, x):
        B, t, _ = x.shape
        q, k, v = self.qkv(x).view(B, t, 3, 4, D // 4).permute(2, 0, 3, 1, 4)
        a = (q @ k.transpose(-1, -2)) / math.sqrt(D // 4)
        a = a.masked_fill(~self.causal[:t, :t], float("-inf")).softmax(-1)
        return self.proj((a @ v).transpose(1, 2).reshape(B, t, D))

    def forward(self, x):
        if RESIDUAL:
            x = x + self.attn(self.ln1(x))
            return x + self.mlp(self.ln2(x))
        x = self.attn(self.ln1(x))
        return self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(T, D)
        self.blocks = nn.Sequential(*[Block() for _ in range(NL)])
        self.lnf, self.head = nn.LayerNorm(D), nn.Linear(D, V, bias=False)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        return self.head(self.lnf(self.blocks(x)))


def get(data, bs, g=None):
    ix = torch.randint(len(data) - T - 1, (bs,), generator=g)
    return torch.stack([data[i:i + T] for i in ix]), torch.stack([data[i + 1:i + T + 1] for i in ix])


model = GPT()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
STEPS = 160
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 20))


def val_loss():
    model.eval()
    x, y = get(va, 128, torch.Generator().manual_seed(0))
    with torch.no_grad():
        l = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1)).item()
    model.train()
    return l


emb_gn, top_gn = [], []
for step in range(1, STEPS + 1):
    x, y = get(tr, 32)
    loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    emb_gn.append(model.wte.weight.grad.norm().item())
    top_gn.append(model.blocks[-1].mlp[2].weight.grad.norm().item())
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    if step % 40 == 0:
        print(f"step {step}: train loss {loss.item():.4f}, val loss {val_loss():.4f}, "
              f"grad norm wte {emb_gn[-1]:.2e} / last block {top_gn[-1]:.2e}")

cnt = torch.bincount(tr, minlength=V).float() + 1
uni = -(cnt / cnt.sum()).log()[va].mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss(), 4), "unigram_val_loss": round(uni, 4),
                                     "mean_grad_norm_embedding": sum(emb_gn) / len(emb_gn),
                                     "mean_grad_norm_last_block": sum(top_gn) / len(top_gn)}))
