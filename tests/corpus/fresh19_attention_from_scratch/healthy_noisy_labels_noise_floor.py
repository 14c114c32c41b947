# Majority-vote task with annotator noise: label = 1 if token "yes" outnumbers token "no",
# but 25% of labels (train AND val) are flipped by a simulated annotator. Best achievable
# accuracy is therefore 0.75 and the best achievable cross-entropy is H(0.25) = 0.562 nats.
# The model gets there in a few epochs and then stays on that plateau -- that is the
# irreducible noise floor, not a convergence problem.
#
# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.732 = the val labels' own agreement with the clean rule (0.734; Bayes 0.75), accuracy vs clean labels 0.998; train_loss 0.551, val_loss 0.585 vs floor H(0.25)=0.562
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(17)

YES, NO, V, T, NOISE = 1, 2, 12, 15, 0.25


def dataset(n, gen):
    x = torch.randint(3, V, (n, T), generator=gen)
    k = 2 * torch.randint(0, 4, (n,), generator=gen) + 1  # odd -> never a tie
    for i in range(n):
        pos = torch.randperm(T, generator=gen)[: k[i]]
        x[i, pos] = torch.where(torch.rand(len(pos), generator=gen) < 0.5, YES, NO)
    n_yes, n_no = (x == YES).sum(1), (x == NO).sum(1)
    clean = (n_yes > n_no).long()
    noisy = torch.where(torch.rand(n, generator=gen) < NOISE, 1 - clean, clean)
    return x, noisy, clean


g = torch.Generator().manual_seed(17)
xtr, ytr, _ = dataset(4000, g)
xva, yva, yva_clean = dataset(1000, g)


def mha(x, w_qkv, w_o, heads):
    B, L, D = x.shape
    q, k, v = torch.einsum("bld,de->ble", x, w_qkv).reshape(B, L, 3, heads, D // heads).unbind(2)
    att = torch.einsum("bqhd,bkhd->bhqk", q, k).div(math.sqrt(D // heads)).softmax(-1)
    return torch.einsum("bhqk,bkhd->bqhd", att, v).reshape(B, L, D) @ w_o


class Layer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.w_qkv = nn.Parameter(torch.empty(d, 3 * d))
        self.w_o = nn.Parameter(torch.empty(d, d))
        nn.init.xavier_uniform_(self.w_qkv)
        nn.init.xavier_uniform_(self.w_o)
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.SiLU(), nn.Linear(2 * d, d))

    def forward(self, x):
        x = x + mha(self.norm1(x), self.w_qkv, self.w_o, self.heads)
        return x + self.mlp(self.norm2(x))


class Voter(nn.Module):
    def __init__(self, d=32, heads=4, depth=2):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.pos = nn.Embedding(T, d)
        self.layers = nn.ModuleList(Layer(d, heads) for _ in range(depth))
        self.out = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2))

    def forward(self, x):
        h = self.emb(x) + self.pos.weight
        for lyr in self.layers:
            h = lyr(h)
        return self.out(h.mean(1))


net = Voter()
params_decay = [p for p in net.parameters() if p.ndim == 2]
params_other = [p for p in net.parameters() if p.ndim != 2]
opt = torch.optim.AdamW([{"params": params_decay, "weight_decay": 0.05},
                         {"params": params_other, "weight_decay": 0.0}], lr=2e-3)
EPOCHS, BS = 8, 64
n_steps = EPOCHS * math.ceil(len(xtr) / BS)
warm = 60
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (n_steps - warm))))

for ep in range(EPOCHS):
    net.train()
    perm = torch.randperm(len(xtr))
    ep_loss = 0.0
    for i in range(0, len(xtr), BS):
        b = perm[i:i + BS]
        loss = F.cross_entropy(net(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        sched.step()
        ep_loss += loss.item() * len(b)
    net.eval()
    with torch.no_grad():
        o = net(xva)
        vl = F.cross_entropy(o, yva).item()
        va = (o.argmax(1) == yva).float().mean().item()
        va_clean = (o.argmax(1) == yva_clean).float().mean().item()
    print(f"ep {ep} train {ep_loss / len(xtr):.4f} val {vl:.4f} acc {va:.3f} (clean {va_clean:.3f})")

floor = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(ep_loss / len(xtr), 4),
                                     "val_acc_clean_labels": round(va_clean, 4), "bayes_acc": 0.75,
                                     "val_label_agreement_with_clean": round((yva == yva_clean).float().mean().item(), 4),
                                     "bayes_loss": round(floor, 4), "chance_acc": 0.5}))
