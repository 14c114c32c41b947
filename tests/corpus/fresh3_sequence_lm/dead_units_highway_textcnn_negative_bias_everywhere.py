# expect: dead_units
# allow: non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: control (-2 only on gate biases) val_acc 0.944, val_loss 0.17, 0% dead units; planted val_acc 0.732, val_loss 0.55 (majority 0.51); probe: 75% of conv filters and 100% of highway ReLU units never fire on the val set
# control: --control
"""Text-CNN (max-pooled, LayerNorm) with highway layers for polarity classification of token sequences with negation
('not good' flips the polarity). The Highway-Networks paper recommends initialising the *gate*
bias to a negative value (-2) so that layers start by carrying their input; the author's init
loop applied `nn.init.constant_(m.bias, -2.0)` to every Conv1d/Linear in the model, including
the ReLU convolution and the ReLU transform layers. With unit-scale inputs, a -2 bias means the
ReLU filters almost never fire, receive no gradient and stay dead. --control applies the -2
only to the highway gate biases (zeros elsewhere). Probe: fraction of conv filters / highway
ReLU units that are never positive on the validation set.
"""
import argparse
import json

import torch
from torch import nn
from torch.nn import functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(23)
g = torch.Generator().manual_seed(23)
# 0 pad, 1 'not', 2-7 positive words, 8-13 negative words, 14-39 neutral
V, T = 40, 24


def make(n):
    x = torch.randint(14, V, (n, T), generator=g)
    score = torch.zeros(n)
    for i in range(n):
        k = int(torch.randint(1, 5, (1,), generator=g))
        pos = torch.randperm(T - 1, generator=g)[:k] + 1
        for p_ in pos.tolist():
            w = int(torch.randint(2, 14, (1,), generator=g))
            pol = 1.0 if w < 8 else -1.0
            if torch.rand(1, generator=g) < 0.35:
                x[i, p_ - 1] = 1
                pol = -pol
            x[i, p_] = w
            score[i] += pol
    keep = score != 0
    return x[keep], (score[keep] > 0).long()


xtr, ytr = make(5000)
xva, yva = make(1000)


class Highway(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.h = nn.Linear(d, d)
        self.gate = nn.Linear(d, d)

    def forward(self, x):
        t = torch.sigmoid(self.gate(x))
        self.act = F.relu(self.h(x))
        return t * self.act + (1 - t) * x


class HighwayTextCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 32, padding_idx=0)
        self.conv = nn.Conv1d(32, 64, 3, padding=1)
        self.norm = nn.LayerNorm(64)
        self.hw = nn.ModuleList([Highway(64), Highway(64)])
        self.out = nn.Linear(64, 2)
        for name, m in self.named_modules():
            if isinstance(m, (nn.Linear, nn.Conv1d)):
                if args.control:
                    nn.init.constant_(m.bias, -2.0 if name.endswith("gate") else 0.0)
                else:
                    nn.init.constant_(m.bias, -2.0)  # meant for the gates only

    def forward(self, x):
        self.conv_act = F.relu(self.conv(self.emb(x).transpose(1, 2)))
        h = self.norm(self.conv_act.max(-1).values)
        for layer in self.hw:
            h = layer(h)
        return self.out(h)


model = HighwayTextCNN()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(6):
    perm = torch.randperm(len(xtr), generator=g)
    for i in range(0, len(xtr), 64):
        ix = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[ix]), ytr[ix])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        va = (model(xva).argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_acc {va:.4f}")

with torch.no_grad():
    lv = model(xva)
    dead_conv = (model.conv_act.amax(dim=(0, 2)) <= 0).float().mean().item()
    dead_hw = sum((l.act.amax(0) <= 0).float().mean().item() for l in model.hw) / 2
    lt = model(xtr[:1000])
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4), "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
    "train_loss": round(F.cross_entropy(lt, ytr[:1000]).item(), 4),
    "majority_acc": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 4),
    "probe_dead_conv_filters": round(dead_conv, 4), "probe_dead_highway_relu_units": round(dead_hw, 4)}))
