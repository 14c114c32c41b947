# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted (no clipping, SGD lr 0.2): grad norm max 7.3 in the first 5 steps, 193 at step 20, max finite 1.5e4, then non-finite on 78 of 100 steps, val BT loss NaN, val pair acc 0.0; control (clip_grad_norm 1.0, same lr): grad norm <= 8.1, no non-finite step, val pair acc 0.891, val BT loss 0.235 (chance 0.5 / ln2 0.693)
# control: --control
# native-log: rm_train.csv
# log-expect: non_finite
# log-allow: exploding_gradients, learning_rate_too_high, non_convergence
"""Reward model with a pairwise Bradley-Terry loss on top of the copy-pretrained tiny GPT:
the scalar head reads the SUM of the final residual stream over the answer tokens (no final
norm), chosen = faithful copy, rejected = copy with 2-4 wrong letters. SGD momentum 0.9,
lr 0.2 (an old RLHF recipe). Planted: no gradient clipping. As the rewards grow, the
gradient norm goes from ~5 to hundreds within 20 steps and then to inf/NaN.
--control: identical, with clip_grad_norm_(params, 1.0)."""
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
ap.add_argument("--control", action="store_true", help="clip gradient norm at 1.0")
args = ap.parse_args()


def pairs(n, rng):
    chosen = make_batch(n, copy_fn, rng)
    rejected = chosen.clone()
    for i in range(n):
        for j in rng.choice(K, size=int(rng.integers(2, 5)), replace=False):
            rejected[i, K + 1 + j] = (rejected[i, K + 1 + j] + int(rng.integers(1, NL))) % NL
    return chosen, rejected


lm = TinyGPT()
pretrain(lm)
head = nn.Linear(32, 1)


def reward(seq):
    x = lm.tok(seq) + lm.pos(torch.arange(seq.shape[1]))
    for b in lm.blocks:
        x = b(x)
    return head(x[:, K + 1:].sum(1)).squeeze(-1)


params = list(lm.parameters()) + list(head.parameters())
opt = torch.optim.SGD(params, lr=0.2, momentum=0.9)
rng = np.random.default_rng(7)
ev_c, ev_r = pairs(256, np.random.default_rng(99))
log = open(os.path.join(LOG_DIR, "rm_train.csv"), "w")
log.write("step,loss,grad_norm,val_loss,val_acc,lr\n")
norms = []
for step in range(1, 101):
    c, r = pairs(32, rng)
    rc, rr = reward(torch.cat([c, r])).chunk(2)
    loss = -F.logsigmoid(rc - rr).mean()
    opt.zero_grad(); loss.backward()
    if args.control:
        gn = float(torch.nn.utils.clip_grad_norm_(params, 1.0))
    else:
        gn = float(torch.nn.utils.clip_grad_norm_(params, float("inf")))   # only measures
    norms.append(gn)
    opt.step()
    if step % 10 == 0:
        with torch.no_grad():
            ec, er = reward(torch.cat([ev_c, ev_r])).chunk(2)
            vl, va = (-F.logsigmoid(ec - er).mean()).item(), (ec > er).float().mean().item()
        print(f"step {step} loss {loss.item():.4f} grad_norm {gn:.4g} val_bt_loss {vl:.4f} val_pair_acc {va:.3f} "
              f"mean|reward| {ec.abs().mean().item():.3g}")
        log.write(f"{step},{loss.item():.6g},{gn:.6g},{vl:.6g},{va:.4f},0.2\n")
    else:
        log.write(f"{step},{loss.item():.6g},{gn:.6g},,,0.2\n")
log.close()
finite = [n for n in norms if math.isfinite(n)]
print(f"grad-norm: first 5 steps max {max(norms[:5]):.3g}, max finite {max(finite):.3g}, "
      f"non-finite steps {len(norms) - len(finite)}")
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(loss.item()),
      "max_grad_norm": fin(max(finite)), "nonfinite_grad_steps": len(norms) - len(finite), "chance_acc": 0.5}))
