# expect: non_convergence
# allow: vanishing_gradients, poor_initialization, learning_rate_too_low, high_bias
# forbid: *
# evidence: planted: grad norm of lora_A and lora_B exactly 0 at step 1 and step 150, |lora_B| stays 0, val loss 5.561 constant, val_acc 0.0; control (kaiming lora_A): lora_B grad 0.93 at step 1, val_acc 1.0, val loss 0.167 (chance 0.0625)
# control: --control
# native-log: train_log.jsonl
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""Tiny GPT pre-trained on a copy corpus, then LoRA (r=4, alpha=8) on qkv/proj/fc1/fc2
learns a shift cipher (y = x + 3 mod 16). Base weights are frozen: only the adapters
(about an eighth of the parameters) ever receive a gradient. AdamW, linear warm-up +
cosine decay, grad clipping at 1.0, eval every 25 steps on held-out prompts.
Planted: a "start exactly at the base model" tweak re-initialises lora_A to zero as well as
lora_B. With both factors zero, dL/dA = B^T(...) = 0 and dL/dB = (...)A^T = 0: no adapter
ever receives a non-zero gradient and nothing trains."""
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
ap.add_argument("--lr", type=float, default=5e-3)
ap.add_argument("--control", action="store_true", help="keep kaiming init for lora_A")
args = ap.parse_args()

model = TinyGPT()
pre = pretrain(model)
add_lora(model, r=4, alpha=8)
if not args.control:
    for m in model.modules():
        if isinstance(m, LoRALinear):
            nn.init.zeros_(m.lora_A)      # "so the adapter is a no-op at step 0"
trainable = [p for p in model.parameters() if p.requires_grad]
n_tr, n_all = sum(p.numel() for p in trainable), sum(p.numel() for p in model.parameters())
print(f"pretrain loss {pre:.3f}; trainable params {n_tr}/{n_all} ({100 * n_tr / n_all:.1f}%)")

STEPS, BS = 150, 32
opt = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.0)
sched = warmup_cosine(opt, 15, STEPS)
rng = np.random.default_rng(7)
val = make_batch(512, shift_fn, np.random.default_rng(99))
f = open(os.path.join(LOG_DIR, "train_log.jsonl"), "w")
lora_A = [m.lora_A for m in model.modules() if isinstance(m, LoRALinear)]
lora_B = [m.lora_B for m in model.modules() if isinstance(m, LoRALinear)]
gnorm = lambda ps: math.sqrt(sum(p.grad.norm().item() ** 2 for p in ps if p.grad is not None))
for step in range(1, STEPS + 1):
    inp, lab = lm_inputs(make_batch(BS, shift_fn, rng), mask_prompt=True)
    loss = F.cross_entropy(model(inp).reshape(-1, V), lab.reshape(-1), ignore_index=-100)
    opt.zero_grad(); loss.backward()
    if step in (1, STEPS):
        print(f"step {step} grad-norm lora_A {gnorm(lora_A):.3e} lora_B {gnorm(lora_B):.3e}")
    torch.nn.utils.clip_grad_norm_(trainable, 1.0)
    lr_now = opt.param_groups[0]["lr"]
    opt.step(); sched.step()
    if step % 25 == 0:
        vl, va = evaluate(model, val)
        print(f"step {step} loss {loss.item():.4f} val_loss {vl:.4f} val_ppl {math.exp(vl):.2f} val_acc {va:.3f} lr {lr_now:.2e}")
        f.write(json.dumps({"step": step, "train_loss": round(loss.item(), 5), "eval_loss": round(vl, 5),
                            "eval_accuracy": round(va, 4), "learning_rate": lr_now}) + "\n")
    else:
        f.write(json.dumps({"step": step, "train_loss": round(loss.item(), 5), "learning_rate": lr_now}) + "\n")
f.close()
vl, va = evaluate(model, val)
print(f"final |lora_B| {math.sqrt(sum(b.detach().norm().item() ** 2 for b in lora_B)):.3e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 3),
      "val_acc": round(va, 4), "train_loss": round(loss.item(), 4), "chance_acc": round(1 / NL, 4)}))
