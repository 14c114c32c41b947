# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, non_finite, high_bias, saturated_activations, dead_units
# forbid: *
# evidence: control (lr=1e-3) reaches val_loss 1.88, val_acc 0.27; planted (AdamW lr=3e-2, no warm-up) stays at val_loss 3.40 = the unigram loss 3.41 (val_acc 0.12), i.e. collapsed to token frequencies
# control: --control
"""Word-level LM on a toy agreement grammar, built from nn.TransformerEncoderLayer in its default
post-norm form (norm_first=False) with a causal mask. The author took 'lr=3e-2' from an MLP
recipe and uses AdamW at that constant rate from step 0, with no warm-up and no clipping --
post-LN transformers are known to blow up under a large early learning rate. --control sets the
lr to 1e-3 (everything else identical, still no warm-up).
"""
import argparse
import json
import math
import random

import torch
from torch import nn
from torch.nn import functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()
LR = 1e-3 if args.control else 3e-2

torch.set_num_threads(1)
torch.manual_seed(1)
random.seed(1)

DET_S, DET_P = ["a", "the", "this", "every"], ["the", "some", "these", "many"]
ADJ = ["red", "old", "small", "quiet", "fast", "green"]
N_S = ["dog", "cat", "bird", "child", "robot", "farmer"]
N_P = ["dogs", "cats", "birds", "children", "robots", "farmers"]
V_S, V_P = ["sees", "likes", "chases", "finds"], ["see", "like", "chase", "find"]
vocab = sorted(set(DET_S + DET_P + ADJ + N_S + N_P + V_S + V_P + [".", "and"]))
stoi = {w: i for i, w in enumerate(vocab)}
VOCAB = len(vocab)


def noun_phrase():
    plural = random.random() < 0.5
    words = [random.choice(DET_P if plural else DET_S)]
    if random.random() < 0.5:
        words.append(random.choice(ADJ))
    words.append(random.choice(N_P if plural else N_S))
    return words, plural


def sentence():
    subj, pl = noun_phrase()
    obj, _ = noun_phrase()
    s = subj + [random.choice(V_P if pl else V_S)] + obj
    if random.random() < 0.3:
        obj2, _ = noun_phrase()
        s += ["and"] + obj2
    return s + ["."]


def corpus(n_sent):
    return torch.tensor([stoi[w] for _ in range(n_sent) for w in sentence()])


train_ids, val_ids = corpus(3000), corpus(400)
T, B, D, STEPS = 24, 32, 64, 300


def batch(ids):
    ix = torch.randint(len(ids) - T - 1, (B,))
    return torch.stack([ids[i:i + T] for i in ix]), torch.stack([ids[i + 1:i + T + 1] for i in ix])


class PostLNLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, D)
        self.pos = nn.Parameter(torch.randn(T, D) * 0.02)
        layer = nn.TransformerEncoderLayer(D, 4, 4 * D, dropout=0.0, batch_first=True)  # post-norm
        self.enc = nn.TransformerEncoder(layer, 3, enable_nested_tensor=False)
        self.out = nn.Linear(D, VOCAB)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(T))

    def forward(self, x):
        h = self.emb(x) * math.sqrt(D) + self.pos[: x.size(1)]
        return self.out(self.enc(h, mask=self.mask, is_causal=True))


model = PostLNLM()
opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)


@torch.no_grad()
def evaluate(ids, n=20):
    model.eval()
    g = torch.Generator().manual_seed(123)
    tot_l, tot_a = 0.0, 0.0
    for _ in range(n):
        ix = torch.randint(len(ids) - T - 1, (B,), generator=g)
        x = torch.stack([ids[i:i + T] for i in ix])
        y = torch.stack([ids[i + 1:i + T + 1] for i in ix])
        lg = model(x)
        tot_l += F.cross_entropy(lg.reshape(-1, VOCAB), y.reshape(-1)).item()
        tot_a += (lg.argmax(-1) == y).float().mean().item()
    model.train()
    return tot_l / n, tot_a / n


for step in range(STEPS):
    x, y = batch(train_ids)
    loss = F.cross_entropy(model(x).reshape(-1, VOCAB), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 25 == 0:
        print(f"step {step} loss {loss.item():.4f}")

vl, va = evaluate(val_ids)
tl, ta = evaluate(train_ids)
# unigram baseline: predicting the training token frequencies
freq = torch.bincount(train_ids, minlength=VOCAB).float() + 1
unigram = -(freq / freq.sum() * (freq / freq.sum()).log()).sum().item()
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
    "unigram_loss": round(unigram, 4), "uniform_loss": round(math.log(VOCAB), 4)}))
