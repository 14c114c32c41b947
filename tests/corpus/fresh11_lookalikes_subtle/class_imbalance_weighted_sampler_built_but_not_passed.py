"""Rare-defect detector (4% positives). The script builds a WeightedRandomSampler
with inverse-frequency weights - and then creates the DataLoader with shuffle=True
instead of sampler=sampler, so the sampler is silently unused. The unweighted BCE
on 96/4 data drives the model to predict "no defect" for almost everything.
--control passes sampler=sampler to the DataLoader (nothing else changes).
"""
# expect: class_imbalance
# allow:
# forbid: *
# evidence: control val balanced_acc 0.924 / minority recall 0.887 (val_acc 0.958); planted balanced_acc 0.567 / minority recall 0.134 with plain val_acc 0.966 (majority rate 0.961): it predicts positive for 0.5% of rows vs 3.9% true, and for epochs 0-5 it predicts no positives at all (balanced_acc 0.500)
# control: --control
import argparse
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, recall_score
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(28)
    np.random.seed(28)
    torch.manual_seed(28)
    X, y = make_classification(n_samples=10000, n_features=16, n_informative=6, n_redundant=2, n_classes=2,
                               weights=[0.96, 0.04], class_sep=0.8, flip_y=0.0, random_state=28)
    Xtr, ytr, Xva, yva = X[:7500], y[:7500], X[7500:], y[7500:]
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
    ds = TensorDataset(torch.tensor(Xtr, dtype=torch.float32), torch.tensor(ytr, dtype=torch.float32))
    counts = np.bincount(ytr)
    print("train class counts", counts.tolist())
    sample_w = (1.0 / counts)[ytr]
    sampler = WeightedRandomSampler(torch.tensor(sample_w, dtype=torch.double), num_samples=len(ytr), replacement=True)
    if args.control:
        loader = DataLoader(ds, batch_size=128, sampler=sampler)
    else:
        loader = DataLoader(ds, batch_size=128, shuffle=True)  # BUG: sampler built above but never passed

    model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    Xv = torch.tensor(Xva, dtype=torch.float32)
    yv = torch.tensor(yva, dtype=torch.float32)
    for ep in range(10):
        model.train()
        tot, n = 0.0, 0
        for xb, yb in loader:
            loss = F.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
            n += len(yb)
        model.eval()
        with torch.no_grad():
            z = model(Xv).squeeze(1)
            vl = F.binary_cross_entropy_with_logits(z, yv).item()
            pred = (z > 0).long().numpy()
        bal = balanced_accuracy_score(yva, pred)
        if ep % 3 == 2 or ep == 9:
            print(f"epoch {ep} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {(pred == yva).mean():.4f} "
                  f"balanced_acc {bal:.4f} predicted_positive_rate {pred.mean():.4f}")
    rec = recall_score(yva, pred, average=None)
    print(f"per-class recall {[round(float(r), 3) for r in rec]}, true positive rate in val {yva.mean():.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(float((pred == yva).mean()), 4),
                                        "val_balanced_acc": round(float(bal), 4), "minority_recall": round(float(rec[1]), 4),
                                        "train_loss": round(tot / n, 4), "majority_rate": round(float(1 - yva.mean()), 4),
                                        "predicted_positive_rate": round(float(pred.mean()), 4)}))


if __name__ == "__main__":
    main()
