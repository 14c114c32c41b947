# expect:
# allow:
# forbid: *
# evidence: held-out DPO loss 0.271 at step 20 -> 0.0897 at step 80 (starts at ln 2 = 0.693), held-out preference accuracy 1.00, implicit reward margin 1.18 -> 2.41 (chance 0.5)
# native-log: dpo_log.jsonl
# log-expect:
# log-allow:
"""Toy DPO. A tiny GPT is pre-trained on a copy corpus and becomes both the policy and the
frozen reference (requires_grad_(False), eval mode). Preference pairs: for a prompt x the
chosen answer is the shift cipher (x+3), the rejected one an off-by-one cipher (x+2); the
base model finds both equally unlikely. DPO loss -log sigmoid(beta * ((log pi_c - log ref_c) - (log pi_r - log ref_r))),
beta=0.1, AdamW 5e-4 with warm-up + cosine, grad clip 1.0. The loss starts at ln 2 = 0.693
and falls below it while the implicit reward margin grows; logged TRL-style as JSON lines."""
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
args = ap.parse_args()
BETA = 0.1

policy = TinyGPT()
pretrain(policy)
ref = copy.deepcopy(policy).eval().requires_grad_(False)


def answer_logp(model, seq):
    inp, lab = lm_inputs(seq, mask_prompt=True)
    logp = F.log_softmax(model(inp), -1)
    m = lab != -100
    tok = logp.gather(-1, lab.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return (tok * m).sum(-1)


def pairs(n, rng):
    x_seed = int(rng.integers(1 << 30))
    chosen = make_batch(n, shift_fn, np.random.default_rng(x_seed))
    rejected = make_batch(n, lambda x: (x + 2) % NL, np.random.default_rng(x_seed))   # same prompts
    return chosen, rejected


def dpo(chosen, rejected):
    both = torch.cat([chosen, rejected])
    pc, pr = answer_logp(policy, both).chunk(2)
    with torch.no_grad():
        rc, rr = answer_logp(ref, both).chunk(2)
    r_c, r_r = BETA * (pc - rc), BETA * (pr - rr)
    loss = -F.logsigmoid(r_c - r_r).mean()
    return loss, r_c, r_r


STEPS = 80
opt = torch.optim.AdamW(policy.parameters(), lr=5e-4, weight_decay=0.0)
sched = warmup_cosine(opt, 10, STEPS)
rng = np.random.default_rng(7)
ev_c, ev_r = pairs(256, np.random.default_rng(99))
log = open(os.path.join(LOG_DIR, "dpo_log.jsonl"), "w")
for step in range(1, STEPS + 1):
    c, r = pairs(24, rng)
    loss, r_c, r_r = dpo(c, r)
    opt.zero_grad(); loss.backward()
    gn = torch.nn.utils.clip_grad_norm_(policy.parameters(), 1.0)
    rec = {"step": step, "loss": round(loss.item(), 5), "grad_norm": round(float(gn), 4),
           "learning_rate": opt.param_groups[0]["lr"],
           "rewards/chosen": round(r_c.mean().item(), 4), "rewards/rejected": round(r_r.mean().item(), 4),
           "rewards/margins": round((r_c - r_r).mean().item(), 4),
           "rewards/accuracies": round((r_c > r_r).float().mean().item(), 4)}
    opt.step(); sched.step()
    if step % 20 == 0:
        policy.eval()
        with torch.no_grad():
            el, ec, er = dpo(ev_c, ev_r)
        policy.train()
        rec.update({"eval_loss": round(el.item(), 5), "eval_rewards/margins": round((ec - er).mean().item(), 4),
                    "eval_rewards/accuracies": round((ec > er).float().mean().item(), 4)})
        print(f"step {step} dpo_loss {loss.item():.4f} eval_dpo_loss {el.item():.4f} "
              f"eval_margin {(ec - er).mean().item():.3f} eval_pref_acc {(ec > er).float().mean().item():.3f}")
    log.write(json.dumps(rec) + "\n")
log.close()
policy.eval()
with torch.no_grad():
    el, ec, er = dpo(ev_c, ev_r)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el.item(), 4), "val_pref_acc": round((ec > er).float().mean().item(), 4),
      "val_reward_margin": round((ec - er).mean().item(), 4), "initial_loss_ln2": 0.6931, "chance_acc": 0.5}))
