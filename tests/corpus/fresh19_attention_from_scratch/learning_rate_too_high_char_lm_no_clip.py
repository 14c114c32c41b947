# char-level GPT on a few hand-written nursery-rhyme lines (repeated with random line order).
# learned positions, pre-LN, einsum attention, hand-made causal mask.
# The author switched SGD -> Adam but kept the SGD learning rate 0.2; no grad clipping / warm-up.
# --control: lr=2e-3 (no other change; still no clipping, no warm-up)
#
# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=0.2): val loss 2.78, val acc 0.18 after 300 iters (unigram baseline 2.93, loss hovers 2.8-3.0 from iter 25 on); control (lr=2e-3): val loss 0.275, val acc 0.90; lr=0.05 still trains (0.30), lr=0.4 is worse (2.97)
# control: --control
import json
import math
import random
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

LR = 2e-3 if "--control" in sys.argv else 0.2
torch.set_num_threads(1)
torch.manual_seed(42)
random.seed(42)

LINES = """twinkle twinkle little star
how i wonder what you are
up above the world so high
like a diamond in the sky
mary had a little lamb
its fleece was white as snow
and everywhere that mary went
the lamb was sure to go
jack and jill went up the hill
to fetch a pail of water
jack fell down and broke his crown
and jill came tumbling after
humpty dumpty sat on a wall
humpty dumpty had a great fall""".split("\n")

train_text = "\n".join(random.choice(LINES) for _ in range(900))
val_text = "\n".join(random.choice(LINES) for _ in range(120))
vocab = sorted(set(train_text + val_text))
ch2i = {c: i for i, c in enumerate(vocab)}
tr = torch.tensor([ch2i[c] for c in train_text])
va = torch.tensor([ch2i[c] for c in val_text])
V, CTX, D, H = len(vocab), 32, 48, 4


def batch(src, bs=32, gen=None):
    i = torch.randint(0, len(src) - CTX - 1, (bs,), generator=gen)
    return torch.stack([src[j:j + CTX] for j in i]), torch.stack([src[j + 1:j + CTX + 1] for j in i])


class GPT(nn.Module):
    def __init__(self, n_layer=2):
        super().__init__()
        self.wte = nn.Embedding(V, D)
        self.wpe = nn.Embedding(CTX, D)
        self.h = nn.ModuleList()
        for _ in range(n_layer):
            self.h.append(nn.ModuleDict(dict(ln_1=nn.LayerNorm(D), c_attn=nn.Linear(D, 3 * D), c_proj=nn.Linear(D, D),
                                             ln_2=nn.LayerNorm(D), fc=nn.Linear(D, 4 * D), proj=nn.Linear(4 * D, D))))
        self.ln_f = nn.LayerNorm(D)
        self.lm_head = nn.Linear(D, V, bias=False)
        causal = torch.ones(CTX, CTX).tril().bool()
        self.register_buffer("bias", causal.view(1, 1, CTX, CTX))

    def forward(self, idx):
        T = idx.size(1)
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for blk in self.h:
            q, k, v = blk.c_attn(blk.ln_1(x)).split(D, 2)
            q, k, v = [t.view(t.size(0), T, H, D // H) for t in (q, k, v)]
            att = torch.einsum("bihd,bjhd->bhij", q, k) / math.sqrt(D // H)
            att = att.masked_fill(~self.bias[:, :, :T, :T], float("-inf")).softmax(-1)
            y = torch.einsum("bhij,bjhd->bihd", att, v).reshape(x.size(0), T, D)
            x = x + blk.c_proj(y)
            x = x + blk.proj(F.gelu(blk.fc(blk.ln_2(x))))
        return self.lm_head(self.ln_f(x))


model = GPT()
opt = torch.optim.Adam(model.parameters(), lr=LR)
for it in range(300):
    xb, yb = batch(tr)
    loss = F.cross_entropy(model(xb).view(-1, V), yb.view(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 25 == 0:
        print(f"iter {it:3d}  loss {loss.item():.4f}")


@torch.no_grad()
def evaluate(src):
    model.eval()
    g = torch.Generator().manual_seed(0)
    losses, accs = [], []
    for _ in range(6):
        xb, yb = batch(src, 64, g)
        lo = model(xb)
        losses.append(F.cross_entropy(lo.view(-1, V), yb.view(-1)).item())
        accs.append((lo.argmax(-1) == yb).float().mean().item())
    return sum(losses) / len(losses), sum(accs) / len(accs)


vl, vacc = evaluate(va)
tl, tacc = evaluate(tr)
freq = torch.bincount(tr, minlength=V).float() / len(tr)
uni = -(freq[va].clamp_min(1e-8).log()).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(tacc, 4), "unigram_val_loss": round(uni, 4)}))
