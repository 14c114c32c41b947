# expect: learning_rate_too_high
# allow: non_convergence, high_bias, exploding_gradients, saturated_activations
# forbid: *
# evidence: planted (peak lr 0.5) ends at val_loss 3.185, i.e. the unigram baseline 3.216, agreement probe 0.50 (chance); control (peak lr 3e-3) val_loss 1.746, agreement 1.00
# control: --control
# Tiny GPT-2 (built from GPT2Config, nothing downloaded) trained from scratch on sentences from a
# toy grammar with subject-verb number agreement. AdamW with the usual decay / no-decay parameter
# groups, linear warm-up then cosine decay via LambdaLR, grad-norm clipping at 1.0.
# Planted: the peak lr is 0.5 (an SGD-sized value) - far too large for AdamW on a transformer.
import argparse
import json
import math
import random

import torch
from transformers import GPT2Config, GPT2LMHeadModel

torch.set_num_threads(1)
torch.manual_seed(0)
random.seed(0)

p = argparse.ArgumentParser()
p.add_argument("--steps", type=int, default=200)
p.add_argument("--lr", type=float, default=0.5)  # peak lr (SGD-style value, with AdamW)
p.add_argument("--control", action="store_true", help="use peak lr 3e-3")
p.add_argument("--eval_every", type=int, default=50)
args = p.parse_args()
if args.control:
    args.lr = 3e-3

# ---------------------------------------------------------------- toy grammar
DET = ["the", "a", "every", "some"]
ADJ = ["red", "old", "tiny", "happy", "quiet"]
N_SG = ["dog", "cat", "bird", "man", "child", "teacher"]
N_PL = ["dogs", "cats", "birds", "men", "children", "teachers"]
V_SG = ["sees", "likes", "chases", "finds"]
V_PL = ["see", "like", "chase", "find"]
PREP = ["near", "behind", "with"]


def noun_phrase(plural):
    w = [random.choice(DET if not plural else ["the", "some"])]
    if random.random() < 0.5:
        w.append(random.choice(ADJ))
    w.append(random.choice(N_PL if plural else N_SG))
    if random.random() < 0.3:  # attractor: prepositional phrase with its own number
        w += [random.choice(PREP), "the", random.choice(N_PL + N_SG)]
    return w


def sentence():
    pl = random.random() < 0.5
    s = noun_phrase(pl) + [random.choice(V_PL if pl else V_SG)] + noun_phrase(random.random() < 0.5)
    return s + ["."]


words = ["<pad>"] + sorted(set(DET + ADJ + N_SG + N_PL + V_SG + V_PL + PREP + ["."]))
stoi = {w: i for i, w in enumerate(words)}
V = len(words)
BLOCK = 32


def stream(n_tokens):
    out = []
    while len(out) < n_tokens:
        out += [stoi[w] for w in sentence()]
    return torch.tensor(out[:n_tokens])


train_data = stream(60_000)
val_data = stream(8_000)


def get_batch(data, bs=32):
    ix = torch.randint(len(data) - BLOCK - 1, (bs,))
    x = torch.stack([data[i:i + BLOCK] for i in ix])
    y = torch.stack([data[i + 1:i + BLOCK + 1] for i in ix])
    return x, y


# ---------------------------------------------------------------- model
cfg = GPT2Config(vocab_size=V, n_positions=BLOCK, n_embd=64, n_layer=2, n_head=4,
                 resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                 bos_token_id=0, eos_token_id=0)
model = GPT2LMHeadModel(cfg)

decay, no_decay = [], []
for n, prm in model.named_parameters():
    (no_decay if prm.dim() < 2 or "ln" in n else decay).append(prm)
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                         {"params": no_decay, "weight_decay": 0.0}], lr=args.lr, betas=(0.9, 0.95))
WARMUP = 20


def lr_lambda(step):
    if step < WARMUP:
        return (step + 1) / WARMUP
    prog = (step - WARMUP) / max(1, args.steps - WARMUP)
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * prog))


sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)


@torch.no_grad()
def evaluate(data, n=4):
    model.eval()
    g = torch.get_rng_state()
    torch.manual_seed(123)
    losses = []
    for _ in range(n):
        x, y = get_batch(data, 64)
        losses.append(model(input_ids=x, labels=None).logits.flatten(0, 1).log_softmax(-1)
                      .gather(1, y.flatten()[:, None]).neg().mean().item())
    torch.set_rng_state(g)
    model.train()
    return sum(losses) / len(losses)


model.train()
running = None
for step in range(1, args.steps + 1):
    x, y = get_batch(train_data)
    logits = model(input_ids=x).logits
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    running = loss.item() if running is None else 0.9 * running + 0.1 * loss.item()
    if step % args.eval_every == 0 or step == args.steps:
        print(f"step {step}: train loss {running:.4f}, val loss {evaluate(val_data):.4f}, "
              f"lr {sched.get_last_lr()[0]:.2e}")

# unigram baseline on val (what a model that ignores context would get)
counts = torch.bincount(train_data, minlength=V).float() + 1
unigram = -(counts / counts.sum()).log()[val_data].mean().item()

# agreement probe: P(correct verb form) vs P(wrong form) right after a bare "the/a N" subject
model.eval()
ok = tot = 0
with torch.no_grad():
    for i in range(200):
        pl = i % 2 == 0
        n = random.choice(N_PL if pl else N_SG)
        ctx = [stoi["."], stoi["the"], stoi[n]]
        lp = model(input_ids=torch.tensor([ctx])).logits[0, -1]
        good = lp[[stoi[v] for v in (V_PL if pl else V_SG)]].logsumexp(0)
        bad = lp[[stoi[v] for v in (V_SG if pl else V_PL)]].logsumexp(0)
        ok += int(good > bad)
        tot += 1

tr = evaluate(train_data)
va = evaluate(val_data)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va, 4), "train_loss": round(tr, 4),
                                     "unigram_val_loss": round(unigram, 4),
                                     "agreement_acc": ok / tot, "chance_agreement": 0.5}))
