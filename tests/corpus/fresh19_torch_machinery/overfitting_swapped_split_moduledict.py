# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (train on 89 samples, validate on 1708) train_acc 1.000, train_loss 0.0075, val_loss best 0.473 at ep 26 then rises to 0.550, val_acc 0.853; control (split fixed: 1618 train) val_loss 0.060 (best 0.048), val_acc 0.966
# control: --control
"""Digits classifier assembled from a layer-spec list into an nn.ModuleDict
of named stages. The hold-out split is computed by hand; the slices for the
train and validation indices are swapped, so the model trains on the 5%
slice and validates on the 95% slice."""
import argparse
import json
import torch
import torch.nn as nn
from sklearn.datasets import load_digits

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
o = ap.parse_args()
torch.manual_seed(8)
torch.set_num_threads(1)

SPEC = {
    "stem": [("fc", 64, 256), ("act",)],
    "body": [("fc", 256, 256), ("act",), ("fc", 256, 256), ("act",)],
    "cls": [("fc", 256, 10)],
}


def stage(items):
    mods = []
    for it in items:
        mods.append(nn.Linear(it[1], it[2]) if it[0] == "fc" else nn.ReLU())
    return nn.Sequential(*mods)


class Staged(nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.stages = nn.ModuleDict({k: stage(v) for k, v in spec.items()})

    def forward(self, x):
        for k in ("stem", "body", "cls"):
            x = self.stages[k](x)
        return x


data = load_digits()
X = torch.tensor(data.data / 16.0, dtype=torch.float32)
y = torch.tensor(data.target)
perm = torch.randperm(len(X), generator=torch.Generator().manual_seed(0))
n_val = int(0.05 * len(X))
if o.control:
    val_idx, train_idx = perm[:n_val], perm[n_val:]
else:
    train_idx, val_idx = perm[:n_val], perm[n_val:]
Xtr, ytr, Xva, yva = X[train_idx], y[train_idx], X[val_idx], y[val_idx]
print(f"train {len(Xtr)} val {len(Xva)}")

model = Staged(SPEC)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()
best = (1e9, -1)
EPOCHS = 50
for ep in range(EPOCHS):
    model.train()
    tot = 0.0
    for b in torch.randperm(len(Xtr)).split(64):
        opt.zero_grad()
        loss = ce(model(Xtr[b]), ytr[b])
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = ce(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
        ta = (model(Xtr).argmax(1) == ytr).float().mean().item()
    best = min(best, (vl, ep))
    if ep % 5 == 4:
        print(f"epoch {ep + 1} train_loss {tot / len(Xtr):.5f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.4f}")

print(f"best val_loss {best[0]:.4f} at epoch {best[1] + 1}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 5),
                                     "train_acc": round(ta, 4), "best_val_loss": round(best[0], 4), "chance_acc": 0.1}))
