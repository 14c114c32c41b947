# expect: saturated_activations
# allow: vanishing_gradients, non_convergence, high_bias, poor_initialization, overfitting, high_variance
# forbid: *
# evidence: planted (std 2.0 init): fraction |tanh|>0.99 per layer [0.76, 0.90, 0.92] at end, val_acc 0.871, val_loss 0.33; control (Xavier): [0.03, 0.03, 0.33], val_acc 0.971, val_loss 0.080
# control: --control
"""PLANTED saturated_activations: tanh MLP on breast-cancer (standardised) with Lookahead(Adam),
but the hidden weights were initialised with std 2.0 (instead of Xavier), so pre-activations
are ~10-20 and nearly every tanh output sits at +-1. --control uses Xavier-normal init (the
only change). Prints the fraction of hidden tanh outputs with |a| > 0.99."""
import sys, json, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(12); np.random.seed(12); random.seed(12)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=12, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
hidden = [nn.Linear(30, 128), nn.Linear(128, 128), nn.Linear(128, 64)]
for l in hidden:
    if "--control" in sys.argv: nn.init.xavier_normal_(l.weight, gain=5 / 3)
    else: nn.init.normal_(l.weight, std=2.0)
    nn.init.zeros_(l.bias)
model = nn.Sequential(hidden[0], nn.Tanh(), hidden[1], nn.Tanh(), hidden[2], nn.Tanh(), nn.Linear(64, 1))
inner = torch.optim.Adam(model.parameters(), lr=1e-3)
slow = [p.detach().clone() for p in model.parameters()]
def saturation(m):
    out = []; h = Xtr
    with torch.no_grad():
        for layer in list(m)[:-1]:
            h = layer(h)
            if isinstance(layer, nn.Tanh): out.append((h.abs() > 0.99).float().mean().item())
    return [round(v, 3) for v in out]
print("saturated fraction per tanh layer at init", saturation(model))
step = 0
for ep in range(30):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        inner.zero_grad(); loss.backward(); inner.step(); step += 1; tot += loss.item() * len(idx)
        if step % 5 == 0:
            with torch.no_grad():
                for s, p in zip(slow, model.parameters()): s.add_(p - s, alpha=0.5); p.copy_(s)
    model.eval()
    with torch.no_grad():
        o = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(o, yva).item(); va = ((o > 0).float() == yva).float().mean().item()
    if (ep + 1) % 5 == 0: print(f"epoch {ep+1} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
sat = saturation(model)
print("saturated fraction per tanh layer at end", sat)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                     "saturated_fraction": sat, "majority_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
