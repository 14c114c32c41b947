# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (3% positives, plain BCE) predicts all-majority: val_acc 0.970 = majority rate 0.970, balanced_acc 0.500, minority recall 0.000; control (--control, pos_weight) balanced_acc 0.785, minority recall 0.722 (val_acc 0.844)
# control: --control
"""Rare-event detector (about 3% positives). The author attaches their own
forward hooks to every hidden layer to print activation statistics each
epoch. Plain BCE, no re-weighting; --control adds a pos_weight."""
import argparse
import json
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, recall_score
from sklearn.model_selection import train_test_split

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
ARGS = ap.parse_args()
torch.manual_seed(2)
torch.set_num_threads(1)


class ActStats:
    def __init__(self):
        self.stats = {}

    def __call__(self, name):
        def hook(module, inp, out):
            if not module.training:
                return
            s = self.stats.setdefault(name, [0.0, 0.0, 0])
            s[0] += out.detach().mean().item()
            s[1] += (out.detach() > 0).float().mean().item()
            s[2] += 1
        return hook

    def report(self):
        line = " ".join(f"{k}:mean={v[0] / v[2]:.3f},active={v[1] / v[2]:.2f}" for k, v in self.stats.items())
        self.stats.clear()
        return line


net = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
monitor = ActStats()
for name, mod in net.named_modules():
    if isinstance(mod, nn.ReLU):
        mod.register_forward_hook(monitor(f"relu{name}"))

X, y = make_classification(n_samples=8000, n_features=16, n_informative=6, n_redundant=2, weights=[0.97, 0.03],
                           class_sep=0.7, flip_y=0.0, random_state=21)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
m, s = Xtr.mean(0), Xtr.std(0)
Xtr_t = torch.tensor((Xtr - m) / s, dtype=torch.float32)
Xva_t = torch.tensor((Xva - m) / s, dtype=torch.float32)
ytr_t, yva_t = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)

if ARGS.control:
    crit = nn.BCEWithLogitsLoss(pos_weight=torch.tensor((1 - ytr.mean()) / ytr.mean(), dtype=torch.float32))
else:
    crit = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)

for epoch in range(10):
    net.train()
    tot = 0.0
    for idx in torch.randperm(len(Xtr_t)).split(128):
        opt.zero_grad()
        loss = crit(net(Xtr_t[idx]).squeeze(1), ytr_t[idx])
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    net.eval()
    with torch.no_grad():
        lv = net(Xva_t).squeeze(1)
        vloss = crit(lv, yva_t).item()
    pred = (lv > 0).int().numpy()
    acc = float((pred == yva).mean())
    bal = balanced_accuracy_score(yva, pred)
    rec = recall_score(yva, pred, zero_division=0)
    print(f"epoch {epoch} loss {tot / len(Xtr_t):.4f} val_loss {vloss:.4f} acc {acc:.4f} bal_acc {bal:.4f} "
          f"recall+ {rec:.3f} | {monitor.report()}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "train_loss": round(tot / len(Xtr_t), 4),
                                     "val_acc": round(acc, 4), "balanced_acc": round(float(bal), 4),
                                     "minority_recall": round(float(rec), 4),
                                     "majority_rate": round(float(1 - yva.mean()), 4), "chance_acc": 0.5}))
