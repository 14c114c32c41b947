# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, high_bias, dead_units
# forbid: *
# evidence: planted: grad norm 25 -> 3.4e3 -> 1.5e5 -> inf in steps 1-4, loss NaN from step 5, final val_loss NaN; control (clip norm 1.0) val_loss 0.209 vs unigram 3.016
# control: --control
# IRNN character LM (Le, Jaitly & Hinton 2015): single-layer ReLU nn.RNN with the recurrent matrix
# initialised to the identity, SGD with momentum, truncated BPTT of 64 characters. Text: an
# arithmetic-free "log file" made of repeated key=value records.
# Planted: the gradient clipping that IRNNs rely on is missing. --control clips the global grad
# norm at 1.0 (the only change).
import argparse
import json
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()

torch.set_num_threads(1)
torch.manual_seed(4)
rng = random.Random(4)

KEYS = ["user", "host", "port", "mode", "code"]
VALS = {"user": ["root", "bob", "eve", "amy"], "host": ["alpha", "delta", "omega"],
        "port": ["80", "443", "8080", "22"], "mode": ["ro", "rw"], "code": ["ok", "fail", "wait"]}


def record():
    return " ".join(f"{k}={rng.choice(VALS[k])}" for k in KEYS) + ";\n"


def text(n):
    s = ""
    while len(s) < n:
        s += record()
    return s[:n]


tr_txt, va_txt = text(30000), text(5000)
chars = sorted(set(tr_txt + va_txt))
V = len(chars)
c2i = {c: i for i, c in enumerate(chars)}
tr = torch.tensor([c2i[c] for c in tr_txt])
va = torch.tensor([c2i[c] for c in va_txt])
BPTT, BS, H = 64, 16, 128


class IRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32)
        self.rnn = nn.RNN(32, H, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(H))
            self.rnn.bias_hh_l0.zero_()
            self.rnn.bias_ih_l0.zero_()
            self.rnn.weight_ih_l0.normal_(0, 0.001 ** 0.5)
        self.out = nn.Linear(H, V)

    def forward(self, x):
        y, _ = self.rnn(self.emb(x))
        return self.out(y)


def sample(data, n, g=None):
    ix = torch.randint(len(data) - BPTT - 1, (n,), generator=g)
    return (torch.stack([data[i:i + BPTT] for i in ix]), torch.stack([data[i + 1:i + BPTT + 1] for i in ix]))


model = IRNN()
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)


def val_loss():
    g = torch.Generator().manual_seed(0)
    x, y = sample(va, 128, g)
    with torch.no_grad():
        return F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1)).item()


max_gn = 0.0
for step in range(1, 601):
    x, y = sample(tr, BS)
    loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    if args.control:
        gn = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    else:
        gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
    max_gn = max(max_gn, gn.item()) if math.isfinite(gn.item()) else float("inf")
    opt.step()
    if step % 50 == 0:
        print(f"step {step}: train loss {loss.item():.4f}, val loss {val_loss():.4f}, grad norm {gn.item():.3g}")

vl = val_loss()
cnt = torch.bincount(tr, minlength=V).float() + 1
unigram = -(cnt / cnt.sum()).log()[va].mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if math.isfinite(vl) else None,
                                     "unigram_val_loss": round(unigram, 4),
                                     "max_grad_norm": max_gn if math.isfinite(max_gn) else None}))
