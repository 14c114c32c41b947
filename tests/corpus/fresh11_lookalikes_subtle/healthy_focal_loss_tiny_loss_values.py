"""Focal loss (gamma=2) for a 4-class synthetic sensor task, function style.

Look-alike: the focal term (1-p)^gamma down-weights every well-classified sample,
so the reported loss is ~0.09 (far below the ~0.34 cross-entropy it stands for),
which a naive monitor could read as "converged / overfit" or as tiny updates.
The held-out cross-entropy and accuracy show the model is fine.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.906 (chance 0.25), plain val cross-entropy 0.342 while the focal train loss is 0.093 (about 4x smaller than the CE it stands for); a plain-CE reference run of the same net and seed (printed) reaches val_acc 0.908, so focal loss costs nothing
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def seed_all(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


def focal_loss(logits, target, gamma=2.0):
    logp = F.log_softmax(logits, dim=1).gather(1, target[:, None]).squeeze(1)
    p = logp.exp()
    return (-(1 - p) ** gamma * logp).mean()


def build():
    return nn.Sequential(nn.Linear(16, 96), nn.SiLU(), nn.Linear(96, 96), nn.SiLU(), nn.Linear(96, 4))


def train(loss_fn, data, epochs=14, verbose=True):
    Xtr, ytr, Xva, yva = data
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot, n, gn = 0.0, 0, []
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = loss_fn(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            gn.append(torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item())
            opt.step()
            tot += loss.item() * len(idx)
            n += len(idx)
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            ce = F.cross_entropy(out, yva).item()
            acc = (out.argmax(1) == yva).float().mean().item()
        if verbose and (ep % 3 == 2 or ep == epochs - 1):
            print(f"epoch {ep} train_focal {tot / n:.4f} grad_norm {np.mean(gn):.4f} val_ce {ce:.4f} val_acc {acc:.4f}")
    return tot / n, ce, acc, float(np.mean(gn))


def main():
    torch.set_num_threads(1)
    seed_all(6)
    X, y = make_classification(n_samples=4000, n_features=16, n_informative=10, n_redundant=2,
                               n_classes=4, n_clusters_per_class=2, class_sep=1.3, random_state=6)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=6, stratify=y)
    sc = StandardScaler().fit(Xtr)
    data = (torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(ytr),
            torch.tensor(sc.transform(Xva), dtype=torch.float32), torch.tensor(yva))
    tl, ce, acc, gn = train(focal_loss, data)
    seed_all(6)
    _, ce_ref, acc_ref, _ = train(F.cross_entropy, data, verbose=False)
    print(f"reference plain-CE run: val_ce {ce_ref:.4f} val_acc {acc_ref:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(ce, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4),
                                        "chance_acc": 0.25, "ref_ce_val_acc": round(acc_ref, 4)}))


if __name__ == "__main__":
    main()
