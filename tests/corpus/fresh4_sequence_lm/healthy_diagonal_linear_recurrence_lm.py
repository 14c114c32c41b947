# expect:
# allow:
# forbid: *
# evidence: val loss 3.33 -> 0.297 nats/char (unigram entropy 2.95, sentence-entropy floor ~0.22), train 0.296 (no gap)
"""Character LM built from a hand-written diagonal linear recurrence (LRU / S4D-flavoured):
h_t = lambda * h_t-1 + B x_t with complex-free real decays lambda = exp(-exp(nu)) in (0, 1),
y_t = C h_t + D x_t, followed by a GLU MLP; trained on generated sentences with number agreement
("2 owls hide under the lake.")."""
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(123)
random.seed(123)

ANIMALS = ["fox", "owl", "hare", "wolf", "crow", "moth"]
PLACES = ["the hill", "a barn", "the lake", "an oak", "the road"]
ACTS = ["sleeps near", "hides under", "waits by", "runs past", "sings on"]


def sentence():
    n = random.randint(1, 3)
    subj = random.choice(ANIMALS) + ("s" if n > 1 else "")
    verb = random.choice(ACTS)
    if n > 1:   # number agreement: plural subject -> bare verb
        head, rest = verb.split(" ", 1)
        verb = head[:-1] + " " + rest
    return f"{n} {subj} {verb} {random.choice(PLACES)}.\n"


text = "".join(sentence() for _ in range(3500))
ALPH = sorted(set(text))
stoi = {c: i for i, c in enumerate(ALPH)}
stream = torch.tensor([stoi[c] for c in text])
cut = int(0.9 * len(stream))
train_s, val_s = stream[:cut], stream[cut:]


class DiagLinearRecurrence(nn.Module):
    def __init__(self, d, n):
        super().__init__()
        # decays initialised log-uniformly in [0.5, 0.99]
        lam = torch.empty(n).uniform_(math.log(0.5), math.log(0.99)).exp()
        self.nu = nn.Parameter(torch.log(-torch.log(lam)))
        self.B = nn.Linear(d, n, bias=False)
        self.C = nn.Linear(n, d, bias=False)
        self.D = nn.Parameter(torch.ones(d))

    def forward(self, x):                      # (B, T, d)
        lam = torch.exp(-torch.exp(self.nu))   # (n,)
        u = self.B(x) * torch.sqrt(1 - lam ** 2)   # normalise the input so |h| stays O(1)
        h = torch.zeros(x.size(0), u.size(-1))
        hs = []
        for t in range(x.size(1)):
            h = lam * h + u[:, t]
            hs.append(h)
        return self.C(torch.stack(hs, 1)) + self.D * x


class Layer(nn.Module):
    def __init__(self, d, n):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.rec = DiagLinearRecurrence(d, n)
        self.glu = nn.Linear(d, 4 * d)
        self.out = nn.Linear(2 * d, d)

    def forward(self, x):
        x = x + self.rec(self.norm1(x))
        return x + self.out(F.glu(self.glu(self.norm2(x)), dim=-1))


class LRULM(nn.Module):
    def __init__(self, V, d=64, n=64, depth=2):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.layers = nn.ModuleList(Layer(d, n) for _ in range(depth))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, V)

    def forward(self, idx, targets=None):
        x = self.emb(idx)
        for l in self.layers:
            x = l(x)
        logits = self.head(self.norm(x))
        loss = None if targets is None else F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss


CTX, BS, ITERS = 32, 32, 260
model = LRULM(len(ALPH))
opt = torch.optim.AdamW([
    {"params": [p for n, p in model.named_parameters() if p.dim() >= 2], "weight_decay": 0.05},
    {"params": [p for n, p in model.named_parameters() if p.dim() < 2], "weight_decay": 0.0},
], lr=1e-2)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=ITERS, pct_start=0.1)


def get_batch(src, g=None):
    ix = torch.randint(0, len(src) - CTX - 1, (BS,), generator=g)
    return torch.stack([src[i:i + CTX] for i in ix]), torch.stack([src[i + 1:i + CTX + 1] for i in ix])


@torch.no_grad()
def estimate_loss():
    model.eval()
    g = torch.Generator().manual_seed(5)
    out = {k: sum(model(*get_batch(s, g))[1].item() for _ in range(6)) / 6 for k, s in (("train", train_s), ("val", val_s))}
    model.train()
    return out


for it in range(ITERS):
    if it % 60 == 0:
        e = estimate_loss()
        print(f"iter {it}: train {e['train']:.4f} val {e['val']:.4f}")
    _, loss = model(*get_batch(train_s))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()

e = estimate_loss()
counts = torch.bincount(val_s, minlength=len(ALPH)).float()
p = counts[counts > 0] / counts.sum()
unigram = float(-(p * p.log()).sum())
print(f"final: train {e['train']:.4f} val {e['val']:.4f} (unigram entropy {unigram:.3f})")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(e["val"], 4), "train_loss": round(e["train"], 4),
                                     "unigram_entropy": round(unigram, 4),
                                     "uniform_loss": round(math.log(len(ALPH)), 4)}))
