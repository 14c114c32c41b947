# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, dead_units, saturated_activations, exploding_gradients
# forbid: *
# evidence: MLP compiled with torch.compile(backend="eager"), NAdam 1e-3, micro-batches of 16, fed raw breast_cancer features (column means 0.0038..877, stds 0.0026..564): planted val_loss jumps around (0.31, 0.56, 0.26), ends val_loss 0.257, val_acc 0.930, train_loss 0.27; control (--control, StandardScaler fit on train) val_loss 0.038, val_acc 0.988, train_loss 0.034 (majority baseline 0.63)
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
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=15, stratify=y)
if CONTROL:
    sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
print(f"input column means {Xtr.mean(0).min():.3g}..{Xtr.mean(0).max():.3g}, stds {Xtr.std(0).min():.3g}..{Xtr.std(0).max():.3g}")
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

net = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
model = torch.compile(net, backend="eager")
opt = torch.optim.NAdam(net.parameters(), lr=1e-3)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=16, shuffle=True)
for ep in range(15):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = F.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(Xva).squeeze(1)
    vl = F.binary_cross_entropy_with_logits(out, yva).item(); va = ((out > 0).float() == yva).float().mean().item(); tl = tot / len(Xtr)
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
