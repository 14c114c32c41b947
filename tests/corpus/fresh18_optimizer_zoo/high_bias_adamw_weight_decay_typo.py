"""AdamW MLP on digits with weight_decay=20.0 (a "weight_decay: 2e1" typo for 2e-4 style value in a
YAML config). The decoupled decay shrinks all matrices by lr*wd = 4% per step, so the net cannot fit
even its training data. --control uses weight_decay=5e-4.
Also uses parameter groups: no decay on biases (as is common)."""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (wd=5e-4) train_acc 1.000, train_loss 0.0009, val_acc 0.982; planted (wd=20) train_acc 0.741, train_loss 1.32 plateaued from epoch ~4 (1.36 -> 1.32), val_acc 0.715, weight norm pinned ~3.4 vs 13.5
# control: --control
import os, sys, json, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=6, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 96), nn.GELU(), nn.Linear(96, 48), nn.GELU(), nn.Linear(48, 10))
WD = 5e-4 if CONTROL else 20.0
decay = [p for n, p in model.named_parameters() if p.ndim > 1]
no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD}, {"params": no_decay, "weight_decay": 0.0}], lr=2e-3)
for epoch in range(20):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        tr_out = model(Xtr); trl = F.cross_entropy(tr_out, ytr).item(); tra = (tr_out.argmax(1) == ytr).float().mean().item()
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    wn = sum(p.norm().item() ** 2 for p in decay) ** 0.5
    if epoch % 4 == 0 or epoch == 19:
        print(f"epoch {epoch:2d} train_loss {trl:.4f} train_acc {tra:.3f} val_loss {vl:.4f} val_acc {va:.3f} weight_norm {wn:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "chance_acc": 0.1, "weight_norm": round(wn, 4)}))
