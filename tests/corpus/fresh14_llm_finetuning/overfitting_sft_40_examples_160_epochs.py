# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted: held-out loss bottoms at 1.749 (epoch 40) and climbs to 2.144 at epoch 160 while train loss -> 0.0032 (val_acc 0.51, train acc ~1); control (early stopping at epoch 72, best restored): val loss 1.749, val_acc 0.465 - the damage is in held-out loss/calibration, accuracy is similar
# control: --control
# native-log: sft_log.csv
# log-expect: overfitting
# log-allow: high_variance
"""Supervised fine-tuning (all weights, AdamW 3e-3, prompt tokens masked with -100) of a
tiny GPT pre-trained on a copy corpus, on just 40 hand-written examples of a Vigenere-style
task (y_i = x_i + key_i mod 16). Planted: 220 epochs and no early stopping / best-checkpoint
selection; the held-out SFT loss bottoms out early and then climbs while the train loss -> 0.
--control: same run with early stopping (patience 8 evals) restoring the best checkpoint."""
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

import copy

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="early stopping on val loss")
args = ap.parse_args()

KEY = np.array([1, 5, 2, 7, 3, 4])
vig_fn = lambda x: (x + KEY) % NL

model = TinyGPT()
pretrain(model)
train = make_batch(40, vig_fn, np.random.default_rng(3))
val = make_batch(256, vig_fn, np.random.default_rng(99))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
EPOCHS, BS, PATIENCE = 160, 20, 8
best, best_state, bad = float("inf"), None, 0
log = open(os.path.join(LOG_DIR, "sft_log.csv"), "w")
log.write("epoch,step,loss,val_loss,val_acc\n")
step = 0
for epoch in range(1, EPOCHS + 1):
    perm = torch.randperm(len(train))
    tot = 0.0
    for i in range(0, len(train), BS):
        inp, lab = lm_inputs(train[perm[i:i + BS]], mask_prompt=True)
        loss = F.cross_entropy(model(inp).reshape(-1, V), lab.reshape(-1), ignore_index=-100)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item(); step += 1
    tr_loss = tot / (len(train) // BS)
    if epoch % 4 == 0:
        vl, va = evaluate(model, val)
        log.write(f"{epoch},{step},{tr_loss:.5f},{vl:.5f},{va:.4f}\n")
        if epoch % 20 == 0:
            print(f"epoch {epoch} train_loss {tr_loss:.4f} val_loss {vl:.4f} val_ppl {math.exp(vl):.2f} val_acc {va:.3f}")
        if vl < best:
            best, best_state, bad = vl, copy.deepcopy(model.state_dict()), 0
        else:
            bad += 1
        if args.control and bad >= PATIENCE:
            print(f"early stop at epoch {epoch}; best val_loss {best:.4f}")
            model.load_state_dict(best_state)
            break
    else:
        log.write(f"{epoch},{step},{tr_loss:.5f},,\n")
log.close()
vl, va = evaluate(model, val)
inp, lab = lm_inputs(train, True)
with torch.no_grad():
    tl = F.cross_entropy(model(inp).reshape(-1, V), lab.reshape(-1), ignore_index=-100).item()
print(f"final train_loss {tl:.4f} val_loss {vl:.4f} (best seen {best:.4f}) val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "best_val_loss": round(best, 4), "val_acc": round(va, 4),
      "train_loss": round(tl, 4), "chance_acc": round(1 / NL, 4)}))
