# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted (-inf fill): train loss and grad norm NaN from step 1, val loss NaN, val_acc 0.065 (chance 0.0625); control (finfo.min fill): finite throughout, val loss 1.564, val_acc 0.471
# control: --control
# native-log: metrics.csv
# log-expect: non_finite
# log-allow: exploding_gradients, non_convergence
"""Batched SFT with variable-length prompts (3-6 letters), left-padded with pad = eos (the
usual "tokenizer.pad_token = tokenizer.eos_token"). The hand-written attention combines the
causal mask with the key-padding mask and fills masked scores with -inf. Planted: a pad
query at the start of a row may only look at itself, which is masked too, so its softmax row
is all -inf -> NaN; in the next layer 0 * NaN spreads it into every position and the loss is
NaN from the first step. --control fills with torch.finfo(dtype).min instead of -inf."""
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
ap.add_argument("--control", action="store_true", help="finite fill value for masked scores")
args = ap.parse_args()
FILL = None if args.control else float("-inf")
PAD = EOS
CURRENT_KEYMASK = [None]


def masked_attn_forward(self, x):
    B, L, D = x.shape
    q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
    q, k, v = [t.view(B, L, self.h, D // self.h).transpose(1, 2) for t in (q, k, v)]
    s = q @ k.transpose(-1, -2) / math.sqrt(D // self.h)
    allowed = torch.ones(L, L, dtype=torch.bool).tril()[None, None]
    if CURRENT_KEYMASK[0] is not None:
        allowed = allowed & CURRENT_KEYMASK[0][:, None, None, :]
    fill = FILL if FILL is not None else torch.finfo(s.dtype).min
    a = torch.softmax(s.masked_fill(~allowed, fill), -1) @ v
    x = x + self.proj(a.transpose(1, 2).reshape(B, L, D))
    return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


Block.forward = masked_attn_forward


def padded_batch(n, rng):
    rows, labels = [], []
    for _ in range(n):
        k = int(rng.integers(3, K + 1))
        x = rng.integers(0, NL, size=k)
        seq = [PAD] * (2 * (K - k)) + list(x) + [SEP] + list((x + 3) % NL) + [EOS]
        lab = [-100] * (2 * (K - k) + k + 1) + list((x + 3) % NL) + [EOS]  # predict answer + EOS only
        rows.append(seq); labels.append(lab)
    seq, lab = torch.tensor(rows), torch.tensor(labels)
    keymask = torch.ones_like(seq, dtype=torch.bool)
    for i, r in enumerate(rows):          # left pads are not attended to
        j = 0
        while r[j] == PAD:
            keymask[i, j] = False; j += 1
    return seq[:, :-1], lab[:, 1:], keymask[:, :-1]


def run_eval(model, data):
    inp, lab, km = data
    model.eval()
    with torch.no_grad():
        CURRENT_KEYMASK[0] = km
        logits = model(inp)
        CURRENT_KEYMASK[0] = None
    model.train()
    loss = F.cross_entropy(logits.reshape(-1, V), lab.reshape(-1), ignore_index=-100).item()
    m = (lab != -100) & (lab != EOS)
    return loss, (logits.argmax(-1)[m] == lab[m]).float().mean().item()


model = TinyGPT()
pretrain(model)
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
STEPS = 120
sched = warmup_cosine(opt, 10, STEPS)
rng = np.random.default_rng(7)
val = padded_batch(256, np.random.default_rng(99))
log = open(os.path.join(LOG_DIR, "metrics.csv"), "w")
log.write("step,loss,val_loss,lr,grad_norm\n")
for step in range(1, STEPS + 1):
    inp, lab, km = padded_batch(32, rng)
    CURRENT_KEYMASK[0] = km
    loss = F.cross_entropy(model(inp).reshape(-1, V), lab.reshape(-1), ignore_index=-100)
    CURRENT_KEYMASK[0] = None
    opt.zero_grad(); loss.backward()
    gn = float(torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0))
    lr_now = opt.param_groups[0]["lr"]
    opt.step(); sched.step()
    if step % 20 == 0:
        vl, va = run_eval(model, val)
        print(f"step {step} loss {loss.item():.4f} grad_norm {gn:.3g} val_loss {vl:.4f} val_acc {va:.3f}")
        log.write(f"{step},{loss.item():.5f},{vl:.5f},{lr_now:.6g},{gn:.5g}\n")
    else:
        log.write(f"{step},{loss.item():.5f},,{lr_now:.6g},{gn:.5g}\n")
log.close()
vl, va = run_eval(model, val)
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_loss_finite": math.isfinite(vl), "val_acc": round(va, 4),
      "train_loss": fin(loss.item()), "chance_acc": round(1 / NL, 4)}))
