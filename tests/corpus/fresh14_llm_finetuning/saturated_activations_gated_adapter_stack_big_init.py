# expect: saturated_activations
# allow: vanishing_gradients, non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: planted (gate W std 2.0): 87.8% of gate outputs <0.01 or >0.99 at step 1 and 90.4% at the end, val_acc 0.783, val loss 1.030; control (std 0.02): 0% saturated at step 1, val_acc 1.0, val loss 0.167 (chance acc 0.0625)
# control: --control
"""Adapter tuning: the pre-trained tiny GPT is frozen and a stack of 3 gated bottleneck
adapters is inserted after each of its blocks (6 in all): h <- h + sigmoid(W_g h) * up(gelu(down(h))).
Planted: the gate projections are initialised with std 2.0 ("so the gates start decisive")
instead of the usual small init: the gate pre-activations are tens of units large, almost
every sigmoid output sits at 0 or 1, and the gates neither learn nor let most adapters
contribute. --control initialises W_g with std 0.02 (gates start at ~0.5)."""
import os, sys, json, math, random, argparse, tempfile, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ft_")
os.makedirs(LOG_DIR, exist_ok=True)

# ---- synthetic token world: 16 "letters", SEP, EOS --------------------------
# a sample is  x1..xK SEP y1..yK EOS ; pre-training teaches copying (y = x),
# the fine-tuning tasks teach some other mapping of the prompt.
NL, SEP, EOS, V = 16, 16, 17, 18
K = 6
T = 2 * K + 2


def make_batch(n, fn, rng, lo=0, hi=NL):
    x = rng.integers(lo, hi, size=(n, K))
    y = fn(x)
    seq = np.concatenate([x, np.full((n, 1), SEP), y, np.full((n, 1), EOS)], 1)
    return torch.tensor(seq, dtype=torch.long)


def copy_fn(x):
    return x.copy()


def shift_fn(x):
    return (x + 3) % NL


def lm_inputs(seq, mask_prompt):
    inp, lab = seq[:, :-1], seq[:, 1:].clone()
    if mask_prompt:
        lab[:, :K] = -100          # prompt tokens do not count in the SFT loss
    return inp, lab


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.fc1, self.fc2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        q, k, v = [t.view(B, L, self.h, D // self.h).transpose(1, 2) for t in (q, k, v)]
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(a.transpose(1, 2).reshape(B, L, D))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class TinyGPT(nn.Module):
    def __init__(self, d=32, h=4, n_layer=2, max_len=T):
        super().__init__()
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Embedding(max_len, d)
        self.blocks = nn.ModuleList([Block(d, h) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, V, bias=False)

    def hidden(self, idx, prefix=None):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        if prefix is not None:             # soft prompt vectors (no position embedding)
            x = torch.cat([prefix.expand(idx.shape[0], -1, -1), x], 1)
        for b in self.blocks:
            x = b(x)
        x = self.ln_f(x)
        return x if prefix is None else x[:, prefix.shape[1]:]

    def forward(self, idx, prefix=None):
        return self.head(self.hidden(idx, prefix))


def pretrain(model, steps=100, bs=32, lr=4e-3, seed=1):
    """A few hundred steps of plain next-token pre-training on the copy corpus."""
    rng = np.random.default_rng(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    for _ in range(steps):
        inp, lab = lm_inputs(make_batch(bs, copy_fn, rng), mask_prompt=False)
        loss = F.cross_entropy(model(inp).reshape(-1, V), lab.reshape(-1))
        opt.zero_grad(); loss.backward(); opt.step()
    opt.zero_grad(set_to_none=True)
    return loss.item()


@torch.no_grad()
def evaluate(model, seq):
    """Masked SFT loss on held-out prompts and accuracy on the answer letters."""
    was = model.training
    model.eval()
    inp, lab = lm_inputs(seq, mask_prompt=True)
    logits = model(inp)
    loss = F.cross_entropy(logits.reshape(-1, V), lab.reshape(-1), ignore_index=-100)
    m = (lab != -100) & (lab != EOS)
    acc = (logits.argmax(-1)[m] == lab[m]).float().mean()
    model.train(was)
    return loss.item(), acc.item()


class LoRALinear(nn.Module):
    """y = W x + (alpha / r) * B A x  with W frozen and B zero-initialised."""
    def __init__(self, base, r=4, alpha=8):
        super().__init__()
        self.base = base
        base.requires_grad_(False)
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        self.scaling = alpha / r

    def forward(self, x):
        return self.base(x) + (x @ self.lora_A.t() @ self.lora_B.t()) * self.scaling


def add_lora(model, r=4, alpha=8, targets=("qkv", "proj", "fc1", "fc2")):
    model.requires_grad_(False)
    for blk in model.blocks:
        for name in targets:
            setattr(blk, name, LoRALinear(getattr(blk, name), r, alpha))
    return model


def warmup_cosine(opt, warmup, total):
    def f(s):
        if s < warmup:
            return (s + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, total - warmup)))
    return torch.optim.lr_scheduler.LambdaLR(opt, f)

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="small gate init")
args = ap.parse_args()
GATE_STD = 0.02 if args.control else 2.0


class GatedAdapter(nn.Module):
    def __init__(self, d, r=8):
        super().__init__()
        self.down, self.up, self.gate = nn.Linear(d, r), nn.Linear(r, d), nn.Linear(d, d)
        nn.init.normal_(self.gate.weight, std=GATE_STD); nn.init.zeros_(self.gate.bias)
        nn.init.normal_(self.up.weight, std=0.01); nn.init.zeros_(self.up.bias)
        self.last_gate = None

    def forward(self, h):
        g = torch.sigmoid(self.gate(h))
        self.last_gate = g.detach()
        return h + g * self.up(F.gelu(self.down(h)))


class AdaptedBlock(nn.Module):
    def __init__(self, block, d, n=3):
        super().__init__()
        self.block, self.adapters = block, nn.ModuleList([GatedAdapter(d) for _ in range(n)])

    def forward(self, x):
        x = self.block(x)
        for a in self.adapters:
            x = a(x)
        return x


model = TinyGPT()
pretrain(model)
model.requires_grad_(False)
model.blocks = nn.ModuleList([AdaptedBlock(b, 32) for b in model.blocks])
adapters = [m for m in model.modules() if isinstance(m, GatedAdapter)]
trainable = [p for p in model.parameters() if p.requires_grad]
print(f"trainable {sum(p.numel() for p in trainable)}/{sum(p.numel() for p in model.parameters())}")


def gate_probe():
    g = torch.cat([a.last_gate.flatten() for a in adapters])
    return ((g < 0.01) | (g > 0.99)).float().mean().item(), g.mean().item()


STEPS = 150
opt = torch.optim.AdamW(trainable, lr=3e-3, weight_decay=0.0)
sched = warmup_cosine(opt, 10, STEPS)
rng = np.random.default_rng(7)
val = make_batch(256, shift_fn, np.random.default_rng(99))
for step in range(1, STEPS + 1):
    inp, lab = lm_inputs(make_batch(32, shift_fn, rng), mask_prompt=True)
    loss = F.cross_entropy(model(inp).reshape(-1, V), lab.reshape(-1), ignore_index=-100)
    opt.zero_grad(); loss.backward()
    if step in (1, STEPS):
        sat, gm = gate_probe()
        ggrad = math.sqrt(sum(a.gate.weight.grad.norm().item() ** 2 for a in adapters))
        dgrad = math.sqrt(sum(a.down.weight.grad.norm().item() ** 2 for a in adapters))
        print(f"step {step}: gates saturated (<0.01 or >0.99) {sat:.3f}, mean gate {gm:.3f}, "
              f"grad-norm gate W {ggrad:.3e}, adapter down W {dgrad:.3e}")
    torch.nn.utils.clip_grad_norm_(trainable, 1.0)
    opt.step(); sched.step()
    if step % 30 == 0:
        vl, va = evaluate(model, val)
        print(f"step {step} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
vl, va = evaluate(model, val)
sat, gm = gate_probe()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 4),
      "gate_saturated_frac": round(sat, 4), "chance_acc": round(1 / NL, 4)}))
