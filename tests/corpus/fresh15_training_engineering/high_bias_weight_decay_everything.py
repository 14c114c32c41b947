"""Config typo: weight_decay=0.1 (meant 1e-4: "1e-1" typed for "1e-4") applied to ALL parameters, biases included.

Param groups are built by a helper that is supposed to exclude biases/norm weights from decay, but
the config passes 0.1 to every group and decay_norm_and_bias=True. The strong L2 pull keeps the weights tiny: the network
underfits even its training set.
--control: weight_decay=5e-4 (the team default) on weights, 0 on biases (what the helper intended).
"""
# expect: high_bias
# allow: non_convergence, learning_rate_too_low
# forbid: *
# evidence: digits MLP, SGD 0.05 mom 0.9, 15 epochs; planted (L2 wd 0.1 on everything): train_loss 0.735, train_acc 0.866, val_acc 0.851, val_loss 0.775, weight norm 4.5 (underfits its own training set); control (wd 5e-4, none on biases): train_loss 0.0039, train_acc 1.0, val_acc 0.973, val_loss 0.146, weight norm 12.0 (chance 0.10). (wd 0.5 collapsed all weights to ~0 and sat at chance, so 0.1 was used)
# control: --control
import argparse, json, random
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(10); np.random.seed(10); torch.manual_seed(10)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()


@dataclass
class OptimConfig:
    lr: float = 0.05
    momentum: float = 0.9
    weight_decay: float = 0.1
    decay_norm_and_bias: bool = True
    epochs: int = 15
    batch_size: int = 64


cfg = OptimConfig() if not args.control else OptimConfig(weight_decay=5e-4, decay_norm_and_bias=False)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))


def param_groups(model, cfg):
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim == 1 else decay).append(p)
    return [{"params": decay, "weight_decay": cfg.weight_decay},
            {"params": no_decay, "weight_decay": cfg.weight_decay if cfg.decay_norm_and_bias else 0.0}]


opt = torch.optim.SGD(param_groups(model, cfg), lr=cfg.lr, momentum=cfg.momentum)
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), cfg.batch_size):
        j = perm[i:i + cfg.batch_size]
        loss = F.cross_entropy(model(Xtr[j]), ytr[j])
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        o2 = model(Xtr); trl = F.cross_entropy(o2, ytr).item(); tra = (o2.argmax(1) == ytr).float().mean().item()
    if epoch % 3 == 2:
        wn = sum(p.norm() ** 2 for p in model.parameters()).sqrt().item()
        print(f"epoch {epoch} train_loss {trl:.4f} train_acc {tra:.4f} val_loss {vl:.4f} val_acc {va:.4f} weight_norm {wn:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4),
                                     "chance_acc": 0.1, "weight_norm": round(wn, 4)}))
