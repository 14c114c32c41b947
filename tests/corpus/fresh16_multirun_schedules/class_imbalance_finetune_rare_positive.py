# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: fine-tune data 4% positive; control (pos_weight) val pos_recall 1.000, balanced_acc 0.980, val_acc 0.961; planted (unweighted BCE) predicts positive for 0-0.5% of val inputs, pos_recall 0.043, balanced_acc 0.522, val_acc 0.963 = majority rate 0.961
# control: --control
# native-log: finetune.csv
# log-expect:
# log-allow: class_imbalance, non_convergence, high_bias
"""Pretrain a small MLP on a balanced 10-class digits task (train split only), then
fine-tune a binary detector "is it a 9?" on a skewed subset: the 9s were subsampled so that
only 4% of the fine-tune data are positive. Frozen backbone for 3 epochs, then all layers.
Planted cause: the skewed task is trained with a plain unweighted BCE loss, and the model
ends up predicting the majority class. --control uses pos_weight = n_neg/n_pos in the loss.
Reported on held-out data: accuracy, positive recall, balanced accuracy."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "finetune.csv"), "w")
log.write("stage,epoch,train_loss,val_loss,val_acc,val_pos_recall\n")

X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32)
Xtr_all, Xte_all, ytr_all, yte_all = train_test_split(X, y, test_size=0.35, random_state=0, stratify=y)
rng = np.random.default_rng(0)
def skew(Xs, ys, pos_frac):
    pos, neg = np.where(ys == 9)[0], np.where(ys != 9)[0]
    k = int(pos_frac / (1 - pos_frac) * len(neg))
    keep = np.concatenate([neg, rng.choice(pos, k, replace=False)])
    return torch.tensor(Xs[keep]), torch.tensor((ys[keep] == 9).astype(np.float32))
Xf, yf = skew(Xtr_all, ytr_all, 0.04)
Xv, yv = skew(Xte_all, yte_all, 0.04)
print(f"fine-tune train: {len(yf)} samples, {int(yf.sum())} positive ({yf.mean():.3f}); val: {len(yv)} samples, {int(yv.sum())} positive")

# pretraining: 10-way digits with a *weak* backbone (pretrain 2 epochs)
backbone = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU())
pre = nn.Sequential(backbone, nn.Linear(16, 10))
opt = torch.optim.SGD(pre.parameters(), lr=0.05, momentum=0.9)
Xp, yp = torch.tensor(Xtr_all), torch.tensor(ytr_all)
for ep in range(2):
    perm = torch.randperm(len(Xp))
    for i in range(0, len(Xp), 64):
        idx = perm[i:i + 64]
        loss = nn.functional.cross_entropy(pre(Xp[idx]), yp[idx]); opt.zero_grad(); loss.backward(); opt.step()
    print(f"pretrain epoch {ep} loss {loss.item():.4f}")

head = nn.Linear(16, 1)
model = nn.Sequential(backbone, head)
pw = torch.tensor((len(yf) - yf.sum()) / yf.sum()) if CONTROL else None
lossf = nn.BCEWithLogitsLoss(pos_weight=pw)
evalf = nn.BCEWithLogitsLoss()
for ep in range(8):
    stage = "frozen" if ep < 3 else "full"
    if ep == 0:
        for p in backbone.parameters(): p.requires_grad = False
        opt = torch.optim.SGD(head.parameters(), lr=0.01, momentum=0.9)
    if ep == 3:
        for p in backbone.parameters(): p.requires_grad = True
        opt = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
    perm = torch.randperm(len(Xf)); tot = 0.0
    for i in range(0, len(Xf), 64):
        idx = perm[i:i + 64]
        loss = lossf(model(Xf[idx]).squeeze(1), yf[idx]); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        out = model(Xv).squeeze(1); vl = evalf(out, yv).item(); pred = (out > 0).float()
    acc = (pred == yv).float().mean().item()
    rec = (pred[yv == 1] == 1).float().mean().item(); spec = (pred[yv == 0] == 0).float().mean().item()
    tl = tot / len(Xf)
    log.write(f"{stage},{ep},{tl:.5f},{vl:.5f},{acc:.4f},{rec:.4f}\n")
    print(f"[{stage}] epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {acc:.3f} pos_recall {rec:.3f} "
          f"predicted_pos_frac {pred.mean().item():.3f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_pos_recall": round(rec, 4),
                                     "val_balanced_acc": round((rec + spec) / 2, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(1 - yv.mean().item(), 4)}))
