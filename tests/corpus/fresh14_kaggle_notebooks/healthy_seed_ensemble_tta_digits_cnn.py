#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: 2 seeds x 8 epochs OneCycleLR, loss restarts at 2.2-2.4 when seed 2 starts (look-alike); single models reach val_loss 0.065/0.084, val_acc 0.989; seed ensemble + 5-view shift TTA val_acc 0.987, macro-F1 0.987 (its averaged-probability NLL is 0.21, softer than the single models); train loss (with shift augmentation) 0.16-0.26; no native log

# # Digits (8x8) - small CNN, seed ensemble (2 seeds) + TTA (±1 px shifts), OneCycleLR
# Each seed starts a fresh model, so the loss jumps back up at the start of seed 2.

# %%
import os, json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.metrics import accuracy_score, f1_score
from tqdm.auto import tqdm

def seed_everything(s):
    random.seed(s); np.random.seed(s); torch.manual_seed(s)
seed_everything(0)
torch.set_num_threads(1)

# %%
X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
Xtr, ytr, Xva, yva = map(torch.tensor, (X_train, y_train, X_valid, y_valid))

# %%
def make_cnn():
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Dropout(0.25), nn.Linear(32 * 16, 10))

def tta_predict(model, x):
    outs = [model(x)] + [model(torch.roll(x, s, dims=d)) for s in (-1, 1) for d in (2, 3)]
    return torch.stack([o.softmax(1) for o in outs]).mean(0)

EPOCHS, BS = 8, 64
probs = []
for seed in (0, 1):
    seed_everything(seed)
    model = make_cnn(); opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps = EPOCHS * ((len(Xtr) + BS - 1) // BS)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    for ep in (pbar := tqdm(range(EPOCHS), desc=f"seed {seed}")):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
        for i in range(0, len(perm), BS):
            b = perm[i:i + BS]
            xb = Xtr[b]
            if random.random() < 0.5:   # shift augmentation (matches the TTA below)
                xb = torch.roll(xb, random.choice((-1, 1)), dims=random.choice((2, 3)))
            loss = nn.functional.cross_entropy(model(xb), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            o = model(Xva); vl = nn.functional.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        pbar.set_postfix(loss=f"{tl/len(Xtr):.4f}", val_loss=f"{vl:.4f}", val_acc=f"{va:.4f}")
        print(f"seed {seed} epoch {ep} loss {tl/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} lr {sched.get_last_lr()[0]:.2e}")
    model.eval()
    with torch.no_grad():
        probs.append(tta_predict(model, Xva))

# %%
ens = torch.stack(probs).mean(0)
ens_loss = nn.functional.nll_loss(ens.clamp_min(1e-7).log(), yva).item()
ens_acc = accuracy_score(y_valid, ens.argmax(1).numpy()); f1 = f1_score(y_valid, ens.argmax(1).numpy(), average="macro")
print(f"single-model val_acc {va:.4f} | seed-ensemble + TTA val_acc {ens_acc:.4f} macro-F1 {f1:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_acc": round(float(ens_acc), 4), "val_f1": round(float(f1), 4), "val_loss": round(ens_loss, 4), "train_loss": round(tl / len(Xtr), 4), "chance_acc": 0.1}))
