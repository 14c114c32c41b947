"""Masked-feature pretraining on tabular data (breast-cancer features, standardised):
randomly mask 30% of the features, reconstruct them (MSE on masked entries only),
then fine-tune the encoder with a small classification head at a 10x lower lr,
with the encoder frozen for the first epochs. Only 120 labelled rows are used for
fine-tuning; all training rows (labels unused) are used for pretraining."""
# expect:
# allow:
# forbid: *
# evidence: masked MSE 0.94 -> 0.21; fine-tuned val_acc 0.947 / val_loss 0.125 on 171 held-out rows (majority baseline 0.63) from 120 labels; train loss 0.011 while val loss flat at ~0.12 for the last 40 epochs
# native-log:
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

d = load_breast_cancer()
Xtr, Xva, ytr, yva = train_test_split(d.data, d.target, test_size=0.3, random_state=0, stratify=d.target)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
D = Xtr.shape[1]

encoder = nn.Sequential(nn.Linear(2 * D, 128), nn.GELU(), nn.Linear(128, 64), nn.GELU())
decoder = nn.Linear(64, D)
opt = torch.optim.AdamW(list(encoder.parameters()) + list(decoder.parameters()), lr=2e-3, weight_decay=1e-4)

print("== pretraining (masked feature reconstruction)")
for epoch in range(60):
    p = torch.randperm(len(Xtr)); tot = 0.0; nb = 0
    for i in range(0, len(Xtr), 64):
        xb = Xtr[p[i:i + 64]]
        mask = (torch.rand_like(xb) < 0.3).float()
        inp = torch.cat([xb * (1 - mask), mask], 1)        # masked values zeroed + mask indicator
        rec = decoder(encoder(inp))
        loss = ((rec - xb) ** 2 * mask).sum() / mask.sum()
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item(); nb += 1
    if epoch % 10 == 0 or epoch == 59:
        print(f"pretrain epoch {epoch:2d} masked_mse {tot/nb:.4f}")

print("== fine-tuning on 120 labelled rows")
lab = torch.randperm(len(Xtr))[:120]
Xl, yl = Xtr[lab], ytr[lab]
head = nn.Linear(64, 2)
ft_opt = torch.optim.AdamW([{"params": head.parameters(), "lr": 1e-3},
                            {"params": encoder.parameters(), "lr": 1e-4}], weight_decay=1e-2)
zeros = torch.zeros_like(Xl)
for epoch in range(80):
    for p_ in encoder.parameters():
        p_.requires_grad_(epoch >= 10)                       # linear-probe warmup, then unfreeze
    p = torch.randperm(len(Xl))
    for i in range(0, len(Xl), 16):
        idx = p[i:i + 16]
        logits = head(encoder(torch.cat([Xl[idx], zeros[idx]], 1)))
        loss = F.cross_entropy(logits, yl[idx])
        ft_opt.zero_grad(); loss.backward(); ft_opt.step()
    with torch.no_grad():
        out = head(encoder(torch.cat([Xva, torch.zeros_like(Xva)], 1)))
        vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        tl = F.cross_entropy(head(encoder(torch.cat([Xl, zeros], 1))), yl).item()
    if epoch % 10 == 0 or epoch == 79:
        print(f"finetune epoch {epoch:2d} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "majority_acc": round(float(yva.float().mean().clamp(min=0.5)), 4)}))
