"""ViT on sklearn's 8x8 digits: 2x2 patches -> 16 tokens + [CLS], pre-LN encoder,
label smoothing 0.1, AdamW (no decay on norms/biases/pos/cls), warm-up + cosine.

Because of label smoothing the training loss cannot go below ~0.5 nats even when every
training image is classified correctly -- that plateau is expected, not a problem.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy; test acc 0.953 (chance 0.10), test CE 0.205, train acc 0.989, smoothed train CE 0.575 (label-smoothing floor ~0.5)
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

digits = load_digits()
X = digits.images.astype(np.float32) / 16.0  # (n, 8, 8) in [0, 1]
y = digits.target
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mu, sd = X_tr.mean(), X_tr.std()
X_tr, X_te = (X_tr - mu) / sd, (X_te - mu) / sd
X_tr, X_te = torch.tensor(X_tr), torch.tensor(X_te)
y_tr, y_te = torch.tensor(y_tr), torch.tensor(y_te)


def patchify(img, p=2):
    # (B, 8, 8) -> (B, 16, p*p)
    B = img.shape[0]
    return img.unfold(1, p, p).unfold(2, p, p).reshape(B, -1, p * p)


class Attention(nn.Module):
    def __init__(self, dim, heads=4, drop=0.0):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.to_qkv = nn.Linear(dim, dim * 3, bias=False)
        self.to_out = nn.Sequential(nn.Linear(dim, dim), nn.Dropout(drop))

    def forward(self, x):
        b, n, _ = x.shape
        qkv = self.to_qkv(x).reshape(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = (torch.einsum("bhid,bhjd->bhij", q, k) * self.scale).softmax(-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        return self.to_out(out.transpose(1, 2).reshape(b, n, -1))


class ViT(nn.Module):
    def __init__(self, num_patches=16, patch_dim=4, dim=48, depth=2, heads=4, mlp_dim=96, n_cls=10):
        super().__init__()
        self.patch_embed = nn.Linear(patch_dim, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embedding = nn.Parameter(torch.randn(1, num_patches + 1, dim) * 0.02)
        self.blocks = nn.ModuleList()
        for _ in range(depth):
            self.blocks.append(nn.ModuleList([
                nn.LayerNorm(dim), Attention(dim, heads, 0.1),
                nn.LayerNorm(dim), nn.Sequential(nn.Linear(dim, mlp_dim), nn.GELU(), nn.Dropout(0.1),
                                                 nn.Linear(mlp_dim, dim)),
            ]))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, n_cls)

    def forward(self, img):
        x = self.patch_embed(patchify(img))
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], 1) + self.pos_embedding
        for ln1, attn, ln2, mlp in self.blocks:
            x = x + attn(ln1(x))
            x = x + mlp(ln2(x))
        return self.head(self.norm(x[:, 0]))


model = ViT()
no_wd = {"cls_token", "pos_embedding"}
groups = [
    {"params": [p for n, p in model.named_parameters() if p.ndim >= 2 and n not in no_wd], "weight_decay": 0.05},
    {"params": [p for n, p in model.named_parameters() if p.ndim < 2 or n in no_wd], "weight_decay": 0.0},
]
EPOCHS, BS = 15, 64
steps_per_epoch = math.ceil(len(X_tr) / BS)
total = EPOCHS * steps_per_epoch
warm = 2 * steps_per_epoch
optimizer = torch.optim.AdamW(groups, lr=3e-3)
scheduler = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))


def evaluate(Xs, ys):
    model.eval()
    with torch.no_grad():
        out = model(Xs)
        loss = F.cross_entropy(out, ys).item()
        acc = (out.argmax(1) == ys).float().mean().item()
    model.train()
    return loss, acc


for ep in range(EPOCHS):
    perm = torch.randperm(len(X_tr))
    run = 0.0
    for i in range(0, len(X_tr), BS):
        b = perm[i:i + BS]
        loss = F.cross_entropy(model(X_tr[b]), y_tr[b], label_smoothing=0.1)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        run += loss.item() * len(b)
    if ep % 3 == 2:
        tl, ta = evaluate(X_te, y_te)
        print(f"[{ep+1:02d}] smoothed train CE {run/len(X_tr):.3f} | test CE {tl:.3f} acc {ta:.3f}")

te_loss, te_acc = evaluate(X_te, y_te)
tr_loss, tr_acc = evaluate(X_tr, y_tr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(te_loss, 4), "val_acc": round(te_acc, 4),
                                     "train_loss": round(tr_loss, 4), "train_acc": round(tr_acc, 4),
                                     "train_smoothed_ce": round(run / len(X_tr), 4), "chance_acc": 0.1}))
