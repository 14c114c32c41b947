# expect: poor_initialization
# allow: non_convergence, high_bias, vanishing_gradients, dead_units
# forbid: *
# evidence: control (normal_ std 0.02) val_loss 0.85; planted (constant_ 0.02) val_loss 2.90 = unigram loss 2.90 (uniform 3.00) for all 400 steps; probe: MLP hidden units stay exact copies (mean pairwise cosine of their weight vectors 1.00 vs 0.02 in control)
# control: --control
"""A GPT-2-style char LM (learned positions, LayerNorm, GELU MLP, causal self-attention, AdamW,
linear warm-up). Its _init_weights was meant to be `nn.init.normal_(w, mean=0.0, std=0.02)` but
was written as `nn.init.constant_(w, 0.02)`: every Linear/Embedding weight starts at the same
value, so every token and position gets the same (constant) vector, which LayerNorm maps to
zero; all heads and hidden units are identical copies and the gradient reaching them is exactly
symmetric, so the symmetry never breaks -- only the output layer learns, i.e. the unigram
distribution. --control uses normal_(0, 0.02).
Probe: the mean pairwise cosine similarity of the MLP hidden units' input weight vectors at the end.
"""
import argparse
import json
import math

import torch
from torch import nn
from torch.nn import functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(11)
g = torch.Generator().manual_seed(11)

# synthetic text: repeated 'phrases' with random separators -> long-range copy structure
V, T, D, L, NH = 20, 32, 64, 2, 4
phrases = [torch.randint(2, V, (int(torch.randint(3, 7, (1,), generator=g)),), generator=g) for _ in range(30)]


def stream(n_phr):
    parts = []
    for _ in range(n_phr):
        parts.append(phrases[int(torch.randint(0, 30, (1,), generator=g))])
        parts.append(torch.tensor([int(torch.randint(0, 2, (1,), generator=g))]))
    return torch.cat(parts)


train, val = stream(5000), stream(800)


def get_batch(d, bs=32, gen=None):
    ix = torch.randint(len(d) - T - 1, (bs,), generator=gen)
    return torch.stack([d[i:i + T] for i in ix]), torch.stack([d[i + 1:i + T + 1] for i in ix])


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.c_attn, self.c_proj = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.fc, self.proj = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x):
        B, T_, C = x.shape
        q, k, v = self.c_attn(self.ln1(x)).split(C, 2)
        q, k, v = (t.view(B, T_, NH, C // NH).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(B, T_, C)
        x = x + self.c_proj(y)
        self.hidden = F.gelu(self.fc(self.ln2(x)))
        return x + self.proj(self.hidden)


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(T, D)
        self.h = nn.ModuleList([Block() for _ in range(L)])
        self.ln_f = nn.LayerNorm(D)
        self.lm_head = nn.Linear(D, V, bias=False)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            if args.control:
                nn.init.normal_(module.weight, mean=0.0, std=0.02)
            else:
                nn.init.constant_(module.weight, 0.02)  # the typo
            if getattr(module, "bias", None) is not None:
                nn.init.zeros_(module.bias)

    def forward(self, idx, targets=None):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        for b in self.h:
            x = b(x)
        logits = self.lm_head(self.ln_f(x))
        loss = None if targets is None else F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1))
        return logits, loss


model = GPT()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.1)
STEPS, WARM = 400, 40
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / WARM))


@torch.no_grad()
def est(d, n=10):
    model.eval()
    gen = torch.Generator().manual_seed(0)
    out = sum(model(*get_batch(d, 64, gen))[1].item() for _ in range(n)) / n
    model.train()
    return out


for step in range(STEPS):
    x, y = get_batch(train)
    _, loss = model(x, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 50 == 0:
        print(f"step {step} train {loss.item():.4f} val {est(val, 3):.4f}")

tl, vl = est(train), est(val)
W = F.normalize(model.h[0].fc.weight, dim=1)
cos = (W @ W.t())
offdiag = (cos.sum() - cos.diag().sum()) / (cos.numel() - cos.size(0))
freq = torch.bincount(train, minlength=V).float() + 1
freq /= freq.sum()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "train_loss": round(tl, 4),
    "unigram_loss": round(-(freq * freq.log()).sum().item(), 4), "uniform_loss": round(math.log(V), 4),
    "probe_mlp_unit_weight_mean_cosine": round(offdiag.item(), 4)}))
