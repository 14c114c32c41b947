# expect:
# allow:
# forbid: *
# evidence: healthy (imbalance handled): 9.3% positives, pos_weight 9.75, stratified split; after 25 ep val_acc 0.976 vs majority 0.907, balanced acc 0.948, F1 0.876, AUC 0.967; val_loss 1.06 -> 0.366 still decreasing
# native-log: metrics_per_epoch.jsonl
# log-expect:
# log-allow:
# Assignment 5: "fraud detection" toy problem, ~9% positives.
# Following the lecture: stratified split, pos_weight in BCEWithLogitsLoss, report balanced accuracy + F1, not accuracy.
import os, json, tempfile
import numpy as np
import torch
from torch import nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import balanced_accuracy_score, f1_score, roc_auc_score

torch.set_num_threads(1)
torch.manual_seed(17)
log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "metrics_per_epoch.jsonl")

X, y = make_classification(n_samples=4000, n_features=12, n_informative=6, n_redundant=2,
                           weights=[0.91, 0.09], class_sep=2.0, flip_y=0.01, random_state=17)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, stratify=y, random_state=17)
print("positive rate train/val: %.3f / %.3f" % (y_tr.mean(), y_va.mean()))
sc = StandardScaler().fit(X_tr)
X_tr = torch.tensor(sc.transform(X_tr), dtype=torch.float32)
X_va = torch.tensor(sc.transform(X_va), dtype=torch.float32)
y_tr_t = torch.tensor(y_tr, dtype=torch.float32)
y_va_t = torch.tensor(y_va, dtype=torch.float32)

pos_weight = torch.tensor((y_tr == 0).sum() / (y_tr == 1).sum(), dtype=torch.float32)
print("pos_weight =", float(pos_weight))

clf = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))
crit = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
opt = torch.optim.Adam(clf.parameters(), lr=1e-3)

logf = open(log_path, "w")
for epoch in range(1, 26):
    clf.train()
    order = torch.randperm(len(X_tr))
    total = 0.0
    for s in range(0, len(order), 64):
        b = order[s:s + 64]
        opt.zero_grad()
        l = crit(clf(X_tr[b]).squeeze(1), y_tr_t[b])
        l.backward()
        opt.step()
        total += l.item() * len(b)
    clf.eval()
    with torch.no_grad():
        logits = clf(X_va).squeeze(1)
        vloss = crit(logits, y_va_t).item()
        prob = torch.sigmoid(logits).numpy()
    pred = (prob > 0.5).astype(int)
    rec = {"epoch": epoch, "train_loss": total / len(X_tr), "val_loss": vloss,
           "val_acc": float((pred == y_va).mean()), "val_bal_acc": balanced_accuracy_score(y_va, pred),
           "val_f1": f1_score(y_va, pred), "val_auc": roc_auc_score(y_va, prob)}
    logf.write(json.dumps(rec) + "\n")
    print("Epoch {}/25 - loss: {:.4f} - val_loss: {:.4f} - val_acc: {:.4f} - bal_acc: {:.4f} - f1: {:.4f} - auc: {:.4f}".format(
        epoch, rec["train_loss"], vloss, rec["val_acc"], rec["val_bal_acc"], rec["val_f1"], rec["val_auc"]))
logf.close()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(rec["val_acc"], 4),
                                     "val_balanced_acc": round(rec["val_bal_acc"], 4), "val_f1": round(rec["val_f1"], 4),
                                     "val_auc": round(rec["val_auc"], 4), "train_loss": round(rec["train_loss"], 4),
                                     "majority_acc": round(float(1 - y_va.mean()), 4)}))
