"""Order task: does token A occur before token B?

Every sequence contains exactly one A and one B among random filler tokens, so the bag of
tokens is identical for both classes -- only their order tells the label. The sinusoidal
table is built in __init__ but the forward pass forgets to add it, so self-attention is
permutation-equivariant and mean-pooling makes the model blind to order.
--control adds the positional table in forward (the one-line fix).
"""
# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: planted (no positions): train_acc 0.521, val_acc 0.502, val_loss 0.699 (ln2=0.693, chance 0.5) after 8 epochs; control (+sinusoidal PE): val_acc 1.000, val_loss 0.0003
# control: --control
import argparse
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="add positional encodings")
cfg = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(11)

V, T = 20, 16
A, B = 1, 2


def build(n):
    x = torch.randint(3, V, (n, T))
    pos = torch.stack([torch.randperm(T)[:2] for _ in range(n)])
    x[torch.arange(n), pos[:, 0]] = A
    x[torch.arange(n), pos[:, 1]] = B
    y = (pos[:, 0] < pos[:, 1]).long()
    return x, y


train_x, train_y = build(4000)
val_x, val_y = build(1000)


def sinusoid(T, d):
    pe = torch.zeros(T, d)
    pos = torch.arange(T).unsqueeze(1).float()
    div = torch.exp(torch.arange(0, d, 2).float() * (-math.log(10000.0) / d))
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe


class SelfAttention(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q, k, v = (t.unflatten(-1, (self.h, -1)) for t in (q, k, v))  # b t h e
        logits = torch.einsum("bthe,bshe->bhts", q, k) / math.sqrt(q.shape[-1])
        out = torch.einsum("bhts,bshe->bthe", logits.softmax(-1), v)
        return self.o(out.flatten(-2))


class OrderNet(nn.Module):
    def __init__(self, d=48, h=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.register_buffer("pe", sinusoid(T, d))
        self.attn = nn.ModuleList(SelfAttention(d, h) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
                                 for _ in range(depth))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(2 * depth))
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2))

    def forward(self, x):
        h = self.emb(x)
        if cfg.control:
            h = h + self.pe
        for i, (att, mlp) in enumerate(zip(self.attn, self.mlp)):
            h = h + att(self.ln[2 * i](h))
            h = h + mlp(self.ln[2 * i + 1](h))
        return self.head(h.mean(dim=1))


net = OrderNet()
opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
EPOCHS = 8
history = []
for epoch in range(EPOCHS):
    net.train()
    order = torch.randperm(len(train_x))
    for s in range(0, len(train_x), 50):
        idx = order[s:s + 50]
        loss = F.cross_entropy(net(train_x[idx]), train_y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        out = net(val_x)
        vloss = F.cross_entropy(out, val_y).item()
        vacc = (out.argmax(-1) == val_y).float().mean().item()
        tout = net(train_x[:1000])
        tloss = F.cross_entropy(tout, train_y[:1000]).item()
        tacc = (tout.argmax(-1) == train_y[:1000]).float().mean().item()
    history.append((tloss, vloss))
    print(f"epoch {epoch}: train {tloss:.4f}/{tacc:.3f}  val {vloss:.4f}/{vacc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tloss, 4), "train_acc": round(tacc, 4), "chance_acc": 0.5}))
