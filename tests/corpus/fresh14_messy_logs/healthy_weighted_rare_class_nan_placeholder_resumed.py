"""Rare-positive screening task (make_classification, 5% positives) handled properly: BCE uses
pos_weight = n_neg/n_pos. The CSV has an epoch-0 sanity evaluation before training whose
train_loss cell is the placeholder float('nan') written as 'nan'; later the job was restarted from the epoch-6 checkpoint
and the resumed process wrote the header again and re-logged epochs 7-8. Accuracy ends BELOW the
majority rate on purpose (the threshold favours recall), with high balanced accuracy."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val balanced acc 0.871, recall_1 0.85, recall_0 0.89 (same script without pos_weight: recall_1 0.43, balanced 0.71); val_acc 0.889 < majority rate 0.955 by design; the only nan is the train_loss placeholder of the pre-training sanity eval
# native-log: screening_log.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import make_classification

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = make_classification(n_samples=6000, n_features=10, n_informative=6, weights=[0.95], class_sep=1.0, random_state=11)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva = torch.tensor(X[:4500], dtype=torch.float32), torch.tensor(X[4500:], dtype=torch.float32)
ytr, yva = torch.tensor(y[:4500], dtype=torch.float32), torch.tensor(y[4500:], dtype=torch.float32)
p = ytr.mean().item()
lossf = nn.BCEWithLogitsLoss(pos_weight=torch.tensor((1 - p) / p))
def make():
    m = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
    return m, torch.optim.Adam(m.parameters(), lr=3e-3)
path = os.path.join(logdir, "screening_log.csv")
HDR = "epoch,train_loss,val_loss,val_acc,balanced_acc,recall_0,recall_1,precision_1\n"
def evaluate(m):
    with torch.no_grad():
        o = m(Xva).squeeze(1); vl = lossf(o, yva).item(); pr = (o > 0).float()
    tp = ((pr == 1) & (yva == 1)).sum().item(); r1 = tp / (yva == 1).sum().item()
    r0 = ((pr == 0) & (yva == 0)).sum().item() / (yva == 0).sum().item()
    prec = tp / pr.sum().item() if pr.sum().item() > 0 else float("nan")
    return vl, (pr == yva).float().mean().item(), r0, r1, prec
def train(m, opt, e0, e1, f, ck):
    for ep in range(e0, e1 + 1):
        m.train(); perm = torch.randperm(4500); tot = n = 0
        for i in range(0, 4500, 128):
            idx = perm[i:i + 128]
            loss = lossf(m(Xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); n += len(idx)
        vl, va, r0, r1, prec = evaluate(m)
        f.write(f"{ep},{tot/n:.5f},{vl:.5f},{va:.4f},{(r0+r1)/2:.4f},{r0:.4f},{r1:.4f},{prec:.4f}\n")
        if ep == 6: ck.update(m={k: v.clone() for k, v in m.state_dict().items()}, o=opt.state_dict())
    return tot / n, vl, va, r0, r1, prec
f = open(path, "w"); f.write(HDR); m, opt = make(); ck = {}
vl, va, r0, r1, prec = evaluate(m)
f.write(f"0,{float('nan')},{vl:.5f},{va:.4f},{(r0+r1)/2:.4f},{r0:.4f},{r1:.4f},{prec:.4f}\n")
train(m, opt, 1, 8, f, ck); f.close()                  # preempted after epoch 8
f = open(path, "a"); f.write(HDR)
m, opt = make(); m.load_state_dict(ck["m"]); opt.load_state_dict(ck["o"])
tl, vl, va, r0, r1, prec = train(m, opt, 7, 20, f, {}); f.close()
maj = 1 - yva.mean().item()
print(f"train_loss {tl:.4f} val_acc {va:.4f} majority {maj:.4f} recall_0 {r0:.4f} recall_1 {r1:.4f} bal {(r0+r1)/2:.4f} precision_1 {prec:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_balanced_acc": round((r0 + r1) / 2, 4), "recall_1": round(r1, 4), "majority_rate": round(maj, 4), "train_loss": round(tl, 4)}))
