# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: positives 3.2% of anchors; planted (no pos_weight) val acc 0.972 vs majority rate 0.968, predicts 84/5000 positive, recall 0.32, balanced acc 0.66; control (pos_weight=#neg/#pos) recall 0.78, balanced acc 0.85
# control: --control
"""Planted: detection-like rare positive class (~3%) trained with plain BCE; the model ignores it.

Anchor-classification style task: 24-d anchor features, an anchor is "object" with a probability
that rises with a hidden linear score, so positives are rare (~3%) and noisy.  Planted:
BCEWithLogits with no pos_weight, so the classifier predicts background for (almost) everything
and accuracy sits at the majority rate.  --control: the same loss with pos_weight = #neg/#pos
(computed from the training labels) - nothing else changes.
Metric: held-out balanced accuracy and positive recall (majority-class accuracy ~0.98).
"""
import argparse, json
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
D = 24
w = torch.randn(D); w = 1.6 * w / w.norm()

def make(n, g):
    x = torch.randn(n, D, generator=g)
    p = torch.sigmoid(2.2 * (x @ w) - 7.4)
    y = (torch.rand(n, generator=g) < p).float()
    return x, y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(10000, g); xva, yva = make(5000, g)
print("train positive rate", round(float(ytr.mean()), 4), "val positive rate", round(float(yva.mean()), 4))
model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
pw = ((1 - ytr.mean()) / ytr.mean()).detach() if args.control else None
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def stats(x, y):
    with torch.no_grad():
        l = model(x).squeeze(1); pred = (l > 0).float()
        tpr = float((pred * y).sum() / y.sum()); tnr = float(((1 - pred) * (1 - y)).sum() / (1 - y).sum())
        return float(F.binary_cross_entropy_with_logits(l, y, pos_weight=pw)), float((pred == y).float().mean()), tpr, 0.5 * (tpr + tnr), int(pred.sum())

for ep in range(10):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 128):
        b = perm[i:i + 128]
        loss = F.binary_cross_entropy_with_logits(model(xtr[b]).squeeze(1), ytr[b], pos_weight=pw)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    vl, acc, rec, bacc, npos = stats(xva, yva)
    print(f"ep {ep} train_loss {tot/nb:.4f} val_loss {vl:.4f} val_acc {acc:.4f} val_recall {rec:.3f} val_bal_acc {bacc:.3f} predicted_pos {npos}/{len(yva)}")
tl, tacc, trec, tbacc, _ = stats(xtr, ytr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_balanced_acc": round(bacc, 4), "val_recall_pos": round(rec, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "majority_acc": round(1 - float(yva.mean()), 4), "chance_balanced_acc": 0.5}))
