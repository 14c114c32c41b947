# expect:
# allow:
# forbid: *
# evidence: hand-written BERT MLM, 80/10/10 masking, warm-up + linear decay; held-out masked-token acc 0.774 (val_loss 0.845, train_loss 0.859; chance 0.033; the grammar's 10% random transitions cap attainable acc well below 1)
"""Hand-written BERT-style masked-language-model pretraining on a synthetic 'grammar'.

Sentences follow a small stochastic grammar (a Markov chain over 30 word types with strong
transitions), so masked words are predictable from both neighbours. 15% masking with the
80/10/10 rule, pre-LN blocks written by hand, AdamW + warm-up + linear decay, weight decay
only on matrices.
"""
import json, math, random, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

random.seed(3); torch.manual_seed(3)
torch.set_num_threads(1)

NW = 30
PAD, MASK, CLS = NW, NW + 1, NW + 2
VOCAB = NW + 3
SEQ = 16

# Markov chain: each word has 2 likely successors
g = torch.Generator().manual_seed(7)
succ = torch.randint(0, NW, (NW, 2), generator=g)


def sentence():
    w = random.randrange(NW)
    out = [w]
    for _ in range(SEQ - 2):
        r = random.random()
        w = succ[w, 0].item() if r < 0.6 else (succ[w, 1].item() if r < 0.9 else random.randrange(NW))
        out.append(w)
    return [CLS] + out


def mask_batch(x, p=0.15):
    labels = x.clone()
    prob = torch.full(x.shape, p)
    prob[:, 0] = 0.0
    m = torch.bernoulli(prob).bool()
    labels[~m] = -100
    x = x.clone()
    r = torch.rand(x.shape)
    x[m & (r < 0.8)] = MASK
    rnd = m & (r >= 0.8) & (r < 0.9)
    x[rnd] = torch.randint(0, NW, (int(rnd.sum()),))
    return x, labels


class SelfAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D // self.h)
        y = att.softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = SelfAttention(d, h)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        x = x + self.drop(self.attn(self.ln1(x)))
        return x + self.drop(self.mlp(self.ln2(x)))


class TinyBert(nn.Module):
    def __init__(self, d=48, h=4, n=1):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d)
        self.pos = nn.Embedding(SEQ, d)
        self.blocks = nn.ModuleList([Block(d, h) for _ in range(n)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, VOCAB)
        self.head.weight = self.tok.weight
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, x):
        h = self.tok(x) + self.pos.weight[: x.size(1)]
        for b in self.blocks:
            h = b(h)
        return self.head(self.ln(h))


train = torch.tensor([sentence() for _ in range(5000)])
val = torch.tensor([sentence() for _ in range(600)])
model = TinyBert()
decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                         {"params": no_decay, "weight_decay": 0.0}], lr=4e-3)
BS, STEPS, WARM = 64, 360, 30
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / WARM, max(0.0, (STEPS - s) / (STEPS - WARM))))


def evaluate(data, seed=0):
    model.eval()
    torch.manual_seed(seed)
    with torch.no_grad():
        x, y = mask_batch(data)
        logits = model(x)
        loss = F.cross_entropy(logits.view(-1, VOCAB), y.view(-1), ignore_index=-100).item()
        sel = y != -100
        acc = (logits.argmax(-1)[sel] == y[sel]).float().mean().item()
    model.train()
    return loss, acc


gen_state = torch.get_rng_state()
for step in range(STEPS):
    idx = torch.randint(0, len(train), (BS,))
    x, y = mask_batch(train[idx])
    loss = F.cross_entropy(model(x).view(-1, VOCAB), y.view(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step(); sched.step()
    if step % 50 == 0 or step == STEPS - 1:
        st = torch.get_rng_state()
        vl, va = evaluate(val)
        torch.set_rng_state(st)
        print(f"step {step:4d} mlm_loss {loss.item():.4f} val_mlm_loss {vl:.4f} val_masked_acc {va:.3f}")

tl, ta = evaluate(train[:600], seed=1)
vl, va = evaluate(val, seed=1)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(1 / NW, 4)}))
