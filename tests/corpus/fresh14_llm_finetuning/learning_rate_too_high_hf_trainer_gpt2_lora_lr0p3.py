# expect: learning_rate_too_high
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (learning_rate 5e-3) reaches val_acc 0.998, eval loss 0.310; planted (0.3) train loss 4.69 -> 2.94 by step 15 and then flat at 2.77-2.82 (= ln 16, uniform output), eval loss 2.83 -> 2.78, val_acc 0.0 (chance 0.0625)
# control: --control
# native-log: trainer_state.json
# log-expect:
# log-allow: learning_rate_too_high, non_convergence, high_bias
"""transformers GPT2LMHeadModel built from a tiny GPT2Config (no download), pre-trained for 100
steps on the copy corpus with a plain loop, then wrapped with hand-written LoRA on every
Conv1D (c_attn, c_proj, c_fc; base frozen, B = 0) and fine-tuned with the HF Trainer on a
shift-cipher SFT set (prompt masked with labels = -100), AdamW, warm-up + cosine,
max_grad_norm 1.0, eval every 25 steps. trainer.save_state() writes trainer_state.json.
Planted: learning_rate=0.3 in TrainingArguments (the LoRA paper's "use a higher lr for LoRA"
taken much too far); --control uses 5e-3."""
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

import logging
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_DISABLED", "true")
import transformers
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments
from transformers.pytorch_utils import Conv1D
transformers.logging.set_verbosity_error()

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="learning_rate 5e-3")
args = ap.parse_args()
LR = 5e-3 if args.control else 0.3

cfg = GPT2Config(vocab_size=V, n_positions=16, n_embd=64, n_layer=2, n_head=4,
                 resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=EOS, eos_token_id=EOS)
model = GPT2LMHeadModel(cfg)
rng = np.random.default_rng(1)
opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.01)
for _ in range(100):                               # "pre-training"
    seq = make_batch(32, copy_fn, rng)
    loss = model(input_ids=seq, labels=seq).loss
    opt.zero_grad(); loss.backward(); opt.step()
opt.zero_grad(set_to_none=True)
print(f"pretrain loss {loss.item():.3f}")


class LoRAConv1D(nn.Module):
    def __init__(self, base, r=4, alpha=8):
        super().__init__()
        self.base = base
        fin, fout = base.weight.shape
        self.lora_A = nn.Parameter(torch.empty(r, fin)); nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.lora_B = nn.Parameter(torch.zeros(fout, r))
        self.scaling = alpha / r

    def forward(self, x):
        return self.base(x) + (x @ self.lora_A.t() @ self.lora_B.t()) * self.scaling


model.requires_grad_(False)
for blk in model.transformer.h:
    for parent, name in [(blk.attn, "c_attn"), (blk.attn, "c_proj"), (blk.mlp, "c_fc"), (blk.mlp, "c_proj")]:
        setattr(parent, name, LoRAConv1D(getattr(parent, name)))
n_tr = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"trainable {n_tr}/{sum(p.numel() for p in model.parameters())}")


class SFTData(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        self.seq = make_batch(n, shift_fn, np.random.default_rng(seed))
        self.lab = self.seq.clone(); self.lab[:, :K + 1] = -100   # GPT2 shifts labels itself

    def __len__(self):
        return len(self.seq)

    def __getitem__(self, i):
        return {"input_ids": self.seq[i], "labels": self.lab[i]}


train_ds, eval_ds = SFTData(4000, 7), SFTData(256, 99)
targs = TrainingArguments(output_dir=LOG_DIR, per_device_train_batch_size=32, per_device_eval_batch_size=256,
                          max_steps=100, learning_rate=LR, weight_decay=0.0, warmup_steps=10,
                          lr_scheduler_type="cosine", max_grad_norm=1.0, logging_steps=5, eval_strategy="steps",
                          eval_steps=25, save_strategy="no", report_to=[], use_cpu=True, disable_tqdm=True,
                          seed=SEED, dataloader_num_workers=0)
trainer = Trainer(model=model, args=targs, train_dataset=train_ds, eval_dataset=eval_ds)
trainer.train()
trainer.save_state()
for rec in trainer.state.log_history:
    if "eval_loss" in rec:
        print(f"step {rec['step']} eval_loss {rec['eval_loss']:.4f} eval_ppl {math.exp(rec['eval_loss']):.3f}")
model.eval()
with torch.no_grad():
    out = model(input_ids=eval_ds.seq, labels=eval_ds.lab)
    pred = out.logits[:, :-1].argmax(-1)
    tgt = eval_ds.lab[:, 1:]
    m = (tgt != -100) & (tgt != EOS)
    acc = (pred[m] == tgt[m]).float().mean().item()
train_loss = [r["loss"] for r in trainer.state.log_history if "loss" in r][-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(out.loss.item(), 4), "val_ppl": round(math.exp(out.loss.item()), 4),
      "val_acc": round(acc, 4), "train_loss": round(train_loss, 4), "chance_acc": round(1 / NL, 4)}))
