# expect:
# allow:
# forbid: *
# evidence: 10% positives handled with pos_weight: balanced_acc 0.961, minority recall 0.939, AUC 0.985, val_acc 0.978 (majority rate 0.896); val weighted loss at its minimum (0.235) over the last 3 epochs
"""Fraud-style tabular task with a 9:1 class skew. The model is built from a
config dict (nn.LazyLinear so input width is inferred on the first batch);
the skew is handled with a positive-class weight in the loss and the
decision is judged on balanced accuracy / minority recall."""
import json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split

torch.manual_seed(31)
torch.set_num_threads(1)

cfg = {
    "blocks": [{"width": 64, "act": "gelu", "dropout": 0.1}, {"width": 32, "act": "gelu", "dropout": 0.1}],
    "optim": {"lr": 2e-3, "weight_decay": 1e-4},
    "epochs": 12,
    "batch": 128,
}
ACTS = {"gelu": nn.GELU, "relu": nn.ReLU, "tanh": nn.Tanh}


def build(cfg):
    layers = []
    for blk in cfg["blocks"]:
        layers += [nn.LazyLinear(blk["width"]), ACTS[blk["act"]](), nn.Dropout(blk["dropout"])]
    layers.append(nn.LazyLinear(1))
    return nn.Sequential(*layers)


X, y = make_classification(n_samples=10000, n_features=24, n_informative=10, n_redundant=6,
                           weights=[0.9, 0.1], flip_y=0.01, class_sep=1.0, random_state=12)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
Xtr_t, Xte_t = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xte, dtype=torch.float32)
ytr_t, yte_t = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yte, dtype=torch.float32)
print("positive rate train:", ytr.mean().round(3))

model = build(cfg)
model(Xtr_t[:2])  # materialise lazy parameters before building the optimizer
opt = torch.optim.AdamW(model.parameters(), **cfg["optim"])
pos_weight = torch.tensor((1 - ytr.mean()) / ytr.mean(), dtype=torch.float32)
loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
plain_bce = nn.BCEWithLogitsLoss()

for epoch in range(cfg["epochs"]):
    model.train()
    order = torch.randperm(len(Xtr_t))
    total = 0.0
    for i in range(0, len(order), cfg["batch"]):
        b = order[i:i + cfg["batch"]]
        loss = loss_fn(model(Xtr_t[b]).squeeze(1), ytr_t[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        logits = model(Xte_t).squeeze(1)
        vloss = loss_fn(logits, yte_t).item()
    pred = (logits > 0).numpy().astype(int)
    bal = balanced_accuracy_score(yte, pred)
    print(f"epoch {epoch:2d} train_wloss {total / len(Xtr_t):.4f} val_wloss {vloss:.4f} "
          f"bal_acc {bal:.4f} minority_recall {recall_score(yte, pred):.3f}")

acc = float((pred == yte).mean())
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(vloss, 4), "train_loss": round(total / len(Xtr_t), 4), "val_acc": round(acc, 4),
    "balanced_acc": round(float(bal), 4), "minority_recall": round(float(recall_score(yte, pred)), 4),
    "auc": round(float(roc_auc_score(yte, logits.numpy())), 4), "majority_rate": round(float(1 - yte.mean()), 4),
    "chance_acc": 0.5}))
