# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, saturated_activations, high_bias
# forbid: *
# evidence: full-batch LBFGS with a closure on a tanh MLP for standardised breast_cancer (L2 1e-2 in the closure), no line search and lr=50 (planted): train_loss 6.6e5 after step 0, 1.8e14 after step 1, NaN from step 2, val_acc 0.37; control (--control, lr=1, still no line search): train_loss 0.064, val_loss 0.091, val_acc 0.965 (majority baseline 0.63)
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
LR = 1.0 if CONTROL else 50.0
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=8, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 32), nn.Tanh(), nn.Linear(32, 1))
opt = torch.optim.LBFGS(model.parameters(), lr=LR, max_iter=5, history_size=10)


def closure():
    opt.zero_grad()
    loss = F.binary_cross_entropy_with_logits(model(Xtr).squeeze(1), ytr)
    loss = loss + 1e-2 * sum((p ** 2).sum() for n, p in model.named_parameters() if "weight" in n)
    loss.backward()
    return loss


for step in range(20):
    loss = opt.step(closure)
    with torch.no_grad():
        tl = F.binary_cross_entropy_with_logits(model(Xtr).squeeze(1), ytr).item()
        out = model(Xva).squeeze(1)
        vl = F.binary_cross_entropy_with_logits(out, yva).item(); va = ((out > 0).float() == yva).float().mean().item()
    print(f"step {step} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
fin = lambda v: round(v, 4) if np.isfinite(v) else str(v)
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(tl), "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
