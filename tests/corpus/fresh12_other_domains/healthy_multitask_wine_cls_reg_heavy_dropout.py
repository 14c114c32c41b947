"""Multi-task tabular model: a shared tanh trunk with heavy dropout (p=0.5) and two
heads - wine cultivar classification (cross-entropy) and regression of the
(standardised) proline content from the other 12 features (MSE) - trained on the
weighted sum 1.0*CE + 0.5*MSE. Because of the dropout the training loss stays
above the validation loss; that is expected here, not a problem."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.968 (chance 0.40), val proline MSE 0.38 (target var 1.0); training loss with dropout on (0.31) stays above the val loss (0.26)
# native-log:
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

d = load_wine()
X, y, prol = np.delete(d.data, 12, axis=1), d.target, d.data[:, 12]
Xtr, Xva, ytr, yva, ptr, pva = train_test_split(X, y, prol, test_size=0.35, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); pm, ps = ptr.mean(), ptr.std()
Xtr, Xva = [torch.tensor((a - mu) / sd, dtype=torch.float32) for a in (Xtr, Xva)]
ptr, pva = [torch.tensor((a - pm) / ps, dtype=torch.float32) for a in (ptr, pva)]
ytr, yva = torch.tensor(ytr), torch.tensor(yva)


class MultiTask(nn.Module):
    def __init__(self, d_in, h=64):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(d_in, h), nn.Tanh(), nn.Dropout(0.5), nn.Linear(h, h), nn.Tanh(), nn.Dropout(0.5))
        self.cls = nn.Linear(h, 3)
        self.reg = nn.Linear(h, 1)

    def forward(self, x):
        z = self.trunk(x)
        return self.cls(z), self.reg(z).squeeze(-1)


CONTROL = "--control" in sys.argv
model = MultiTask(X.shape[1])
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
W_CLS, W_REG = 1.0, 0.5
for epoch in range(36):
    model.train()
    p = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 16):
        idx = p[i:i + 16]
        logits, pred = model(Xtr[idx])
        loss = W_CLS * F.cross_entropy(logits, ytr[idx]) + W_REG * F.mse_loss(pred, ptr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        logits, pred = model(Xva)
        vce, vmse = F.cross_entropy(logits, yva).item(), F.mse_loss(pred, pva).item()
        va = (logits.argmax(1) == yva).float().mean().item()
    if epoch % 10 == 0 or epoch == 35:
        print(f"epoch {epoch:3d} train_loss(dropout on) {tot/len(Xtr):.4f} val_loss {W_CLS*vce+W_REG*vmse:.4f} val_acc {va:.3f} val_mse_proline {vmse:.3f}")
with torch.no_grad():
    tl, tp = model(Xtr)
    t_ce, t_mse = F.cross_entropy(tl, ytr).item(), F.mse_loss(tp, ptr).item()
print("CORPUS_METRIC " + json.dumps({"val_acc": round(va, 4), "val_ce": round(vce, 4), "val_mse": round(vmse, 4), "target_var": 1.0,
                                      "val_loss": round(W_CLS * vce + W_REG * vmse, 4), "train_loss_dropout_on": round(tot / len(Xtr), 4),
                                      "train_ce_eval": round(t_ce, 4), "train_mse_eval": round(t_mse, 4), "chance_acc": 0.4}))
