# expect:
# allow:
# forbid: *
# evidence: MLP with LayerNorm on standardised breast_cancer, micro-batches of 8 with loss/4 accumulation, clip_grad_norm_(1.0), no-decay param groups for bias/LayerNorm, timm-style EMA (decay 0.995, warm-up) evaluated instead of the raw model: EMA val_acc 0.953, EMA val_loss 0.120 still falling at the end, train_loss 0.058 (majority baseline 0.63)
import os, sys, json, random, copy
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 64), nn.LayerNorm(64), nn.GELU(), nn.Dropout(0.1),
                      nn.Linear(64, 32), nn.LayerNorm(32), nn.GELU(), nn.Linear(32, 1))


class ModelEma:
    def __init__(self, model, decay):
        self.module = copy.deepcopy(model).eval()
        self.decay = decay
        self.updates = 0
        for p in self.module.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for e, m in zip(self.module.state_dict().values(), model.state_dict().values()):
            if e.dtype.is_floating_point:
                e.mul_(d).add_(m.detach(), alpha=1 - d)


decay, no_decay = [], []
for n, p in model.named_parameters():
    (no_decay if p.ndim <= 1 else decay).append(p)
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                         {"params": no_decay, "weight_decay": 0.0}], lr=1e-3)
ema = ModelEma(model, 0.995)
accum, mb = 4, 8
for ep in range(10):
    model.train()
    perm = torch.randperm(len(Xtr))
    opt.zero_grad(set_to_none=True)
    tot, k = 0.0, 0
    for i in range(0, len(Xtr), mb):
        idx = perm[i:i + mb]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        (loss / accum).backward()
        tot += loss.item() * len(idx)
        k += 1
        if k % accum == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); opt.zero_grad(set_to_none=True)
            ema.update(model)
    with torch.no_grad():
        out = ema.module(Xva).squeeze(1)
        vl = F.binary_cross_entropy_with_logits(out, yva).item()
        va = ((out > 0).float() == yva).float().mean().item()
    tl = tot / len(Xtr)
    print(f"epoch {ep} train_loss {tl:.4f} ema_val_loss {vl:.4f} ema_val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
