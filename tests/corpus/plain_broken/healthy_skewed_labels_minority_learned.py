# expect:
# forbid: *
# evidence: 92/8 labels, plain CE: minority recall 0.956, balanced_acc 0.975, val_acc 0.9915 vs majority rate 0.921
"""Defect detection with 92% OK / 8% defective parts. The label distribution is skewed, but the
defect signature is strong, so plain unweighted cross-entropy learns the minority class well
(defect recall and balanced accuracy are high, not just accuracy = majority rate)."""
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(0)
rng = np.random.default_rng(7)


def sensors(n):
    y = (rng.random(n) < 0.08).astype(np.int64)
    x = rng.normal(0, 1, (n, 10))
    x[y == 1, 0] += 3.5            # vibration peak
    x[y == 1, 3] -= 2.5            # pressure drop
    x[:, 5] += 0.5 * x[:, 0]       # correlated nuisance feature
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


Xtr, Ytr = sensors(5000)
Xva, Yva = sensors(2000)
print("train label counts:", torch.bincount(Ytr).tolist())

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
crit = nn.CrossEntropyLoss()
dl = DataLoader(TensorDataset(Xtr, Ytr), batch_size=64, shuffle=True)

for epoch in range(8):
    model.train()
    tl = []
    for xb, yb in dl:
        opt.zero_grad()
        loss = crit(model(xb), yb)
        loss.backward()
        opt.step()
        tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(Xva)
        pred = logits.argmax(1)
        vl = crit(logits, Yva).item()
        acc = (pred == Yva).float().mean().item()
        rec1 = ((pred == 1) & (Yva == 1)).sum().item() / (Yva == 1).sum().item()
        rec0 = ((pred == 0) & (Yva == 0)).sum().item() / (Yva == 0).sum().item()
    print(f"epoch {epoch} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_acc {acc:.4f} "
          f"defect_recall {rec1:.3f} ok_recall {rec0:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4),
                                     "balanced_acc": round((rec0 + rec1) / 2, 4), "minority_recall": round(rec1, 4),
                                     "majority_rate": round(1 - Yva.float().mean().item(), 4)}))
