# expect:
# allow:
# forbid: *
# evidence: val_acc 0.9395 before fine-tuning -> 0.9987 after, val loss 0.425 -> 0.103 (chance acc 0.0625); 768 of 27840 parameters (2.8%) train
# native-log: tb
# log-expect:
# log-allow:
"""The fine-tuning task is almost what the base model was pre-trained on: copy the prompt,
except that the letter 15 must be written as 0 (a house-style tweak). The LoRA fine-tune
(r=2, alpha=4, attention only, AdamW 2e-3, warm-up + cosine) therefore starts at a low loss
and barely moves: held-out accuracy goes from ~0.94 to ~1.0. Only the adapters (a few % of
the weights) get gradients; the frozen base has none. Logged with TensorBoard SummaryWriter."""
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

from torch.utils.tensorboard import SummaryWriter

ap = argparse.ArgumentParser()
args = ap.parse_args()


def house_copy(x):
    y = x.copy()
    y[y == 15] = 0
    return y


model = TinyGPT()
pretrain(model)
add_lora(model, r=2, alpha=4, targets=("qkv", "proj"))
trainable = [p for p in model.parameters() if p.requires_grad]
n_tr, n_all = sum(p.numel() for p in trainable), sum(p.numel() for p in model.parameters())
no_grad = sum(p.numel() for p in model.parameters() if not p.requires_grad)
print(f"trainable {n_tr}/{n_all} ({100 * n_tr / n_all:.1f}%), frozen without grad: {no_grad}")
val = make_batch(512, house_copy, np.random.default_rng(99))
vl0, va0 = evaluate(model, val)
print(f"before fine-tune: val_loss {vl0:.4f} val_acc {va0:.3f}")

STEPS = 80
opt = torch.optim.AdamW(trainable, lr=2e-3, weight_decay=0.0)
sched = warmup_cosine(opt, 10, STEPS)
rng = np.random.default_rng(7)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb"))
tb.add_scalar("eval/loss", vl0, 0)
tb.add_scalar("eval/accuracy", va0, 0)
for step in range(1, STEPS + 1):
    inp, lab = lm_inputs(make_batch(32, house_copy, rng), mask_prompt=True)
    loss = F.cross_entropy(model(inp).reshape(-1, V), lab.reshape(-1), ignore_index=-100)
    opt.zero_grad(); loss.backward()
    torch.nn.utils.clip_grad_norm_(trainable, 1.0)
    tb.add_scalar("train/loss", loss.item(), step)
    tb.add_scalar("train/learning_rate", opt.param_groups[0]["lr"], step)
    opt.step(); sched.step()
    if step % 20 == 0:
        vl, va = evaluate(model, val)
        tb.add_scalar("eval/loss", vl, step)
        tb.add_scalar("eval/accuracy", va, step)
        print(f"step {step} loss {loss.item():.4f} eval_loss {vl:.4f} eval_ppl {math.exp(vl):.3f} eval_acc {va:.3f}")
tb.close()
vl, va = evaluate(model, val)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ppl": round(math.exp(vl), 4), "val_acc": round(va, 4),
      "val_acc_before": round(va0, 4), "train_loss": round(loss.item(), 4), "chance_acc": round(1 / NL, 4)}))
