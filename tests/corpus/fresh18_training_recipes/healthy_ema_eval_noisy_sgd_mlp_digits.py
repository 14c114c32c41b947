# expect:
# allow:
# forbid: *
# evidence: SGD lr 0.04 batch 16: epoch-1 batch-loss std 0.79; EMA eval val_loss 0.066 (val_acc 0.983) vs raw weights 0.069 (0.985); train loss goes to 0.0008 while val loss stays flat at 0.064-0.069 (chance acc 0.10)
"""MLP on digits trained with plain SGD at a fairly high constant lr and batch 16
(noisy raw weights), with an EMA copy of the weights (decay 0.995) used for evaluation.
The EMA model scores better than the raw weights; raw per-batch loss is noisy."""
import json, random, copy
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(3); np.random.seed(3); random.seed(3)
X, y = load_digits(return_X_y=True)
X = (X - X.mean(0)) / (X.std(0) + 1.0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
ema = copy.deepcopy(model).eval()
for p in ema.parameters(): p.requires_grad_(False)
opt = torch.optim.SGD(model.parameters(), lr=0.04, momentum=0.9)
DECAY = 0.995

def evaluate(m):
    m.eval()
    with torch.no_grad():
        o = m(Xva); return F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()

for ep in range(10):
    model.train(); perm = torch.randperm(len(Xtr)); losses = []
    for i in range(0, len(Xtr), 16):
        idx = perm[i:i + 16]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()): pe.lerp_(pm, 1 - DECAY)
    rl, ra = evaluate(model); el, ea = evaluate(ema)
    print(f"epoch {ep+1} train_loss {np.mean(losses):.4f} (batch std {np.std(losses):.3f}) raw val_loss {rl:.4f} acc {ra:.4f} | EMA val_loss {el:.4f} acc {ea:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "raw_val_loss": round(rl, 4), "raw_val_acc": round(ra, 4),
                                     "train_loss": round(float(np.mean(losses)), 4), "chance_acc": 0.1}))
