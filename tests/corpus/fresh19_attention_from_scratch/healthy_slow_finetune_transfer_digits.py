"""Transfer with a tiny patch transformer on digits.

Stage 1: pre-train on digits 0-4.  Stage 2: new head, fine-tune the whole model on digits 5-9
with a deliberately gentle lr (6e-4, linear warm-up, no decay) so the pre-trained features
are not wrecked. The fine-tune loss falls slowly but steadily every epoch; what is reported
is the stage-2 held-out accuracy.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy; stage-2 (digits 5-9) held-out acc 0.960 (chance 0.20), val loss 0.151, falling steadily over 12 epochs from 1.31; stage-1 (0-4) val acc 0.951
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
torch.manual_seed(31)
rs = np.random.RandomState(31)

imgs, labels = load_digits(return_X_y=True)
imgs = torch.tensor((imgs / 16.0 - 0.3) / 0.4, dtype=torch.float32).view(-1, 8, 8)
labels = torch.tensor(labels)


def split(mask):
    idx = torch.tensor(rs.permutation(np.where(mask)[0]))
    cut = int(0.75 * len(idx))
    return idx[:cut], idx[cut:]


src_tr, src_va = split((labels < 5).numpy())
tgt_tr, tgt_va = split((labels >= 5).numpy())


class PatchTransformer(nn.Module):
    def __init__(self, d=40, heads=4, depth=2, n_out=5):
        super().__init__()
        self.embed = nn.Linear(4, d)
        self.pos = nn.Parameter(torch.randn(16, d) * 0.02)
        layer = dict(d=d, heads=heads)
        self.attn_ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads, batch_first=True) for _ in range(depth))
        self.ff_ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(depth))
        self.ff = nn.ModuleList(nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d)) for _ in range(depth))
        self.final_ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, n_out)

    def features(self, x):
        p = x.unfold(1, 2, 2).unfold(2, 2, 2).reshape(x.shape[0], 16, 4)
        h = self.embed(p) + self.pos
        for ln1, at, ln2, ff in zip(self.attn_ln, self.attn, self.ff_ln, self.ff):
            z = ln1(h)
            h = h + at(z, z, z, need_weights=False)[0]
            h = h + ff(ln2(h))
        return self.final_ln(h).mean(1)

    def forward(self, x):
        return self.head(self.features(x))


def run_epochs(model, opt, sched, tr, va, offset, epochs, tag):
    hist = []
    for ep in range(epochs):
        model.train()
        perm = tr[torch.randperm(len(tr))]
        for i in range(0, len(perm), 32):
            b = perm[i:i + 32]
            loss = F.cross_entropy(model(imgs[b]), labels[b] - offset)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
        model.eval()
        with torch.no_grad():
            out = model(imgs[va])
            vl = F.cross_entropy(out, labels[va] - offset).item()
            acc = (out.argmax(1) == labels[va] - offset).float().mean().item()
            tl = F.cross_entropy(model(imgs[tr]), labels[tr] - offset).item()
        hist.append((tl, vl, acc))
        print(f"[{tag}] epoch {ep + 1}: train {tl:.4f} val {vl:.4f} acc {acc:.3f}")
    return hist


model = PatchTransformer()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
h1 = run_epochs(model, opt, None, src_tr, src_va, 0, 6, "pretrain 0-4")

model.head = nn.Linear(model.head.in_features, 5)
ft_epochs = 12
steps = ft_epochs * math.ceil(len(tgt_tr) / 32)
opt = torch.optim.AdamW(model.parameters(), lr=6e-4, weight_decay=0.01)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 30))
h2 = run_epochs(model, opt, sched, tgt_tr, tgt_va, 5, ft_epochs, "finetune 5-9")

tl, vl, acc = h2[-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4),
                                     "pretrain_val_acc": round(h1[-1][2], 4), "chance_acc": 0.2}))
