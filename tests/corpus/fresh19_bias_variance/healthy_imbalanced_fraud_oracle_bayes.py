"""Fraud-flag model on a synthetic replica of our transactions: 7% positives.

Known generative model (class-conditional Gaussians, shared covariance, priors 0.93/0.07), so the
Bayes error is the error of the oracle posterior rule, estimated on 300k fresh draws. The majority
class rate is 0.93: an always-"legit" model would score 7% error. We report minority recall too, to
make sure the low error is not just the prior.  Plain BCE, no re-weighting: for 0/1 error the
unweighted posterior threshold IS the Bayes rule, so this is the right choice for this metric.
Writes a CSV log (epoch,train_loss,dev_loss,train_err,dev_err,bayes_err,dev_recall_pos).
"""
# expect:
# allow:
# forbid: *
# evidence: 7% positives; oracle Bayes err 0.0147 (0.0163 on this dev set), majority-class err 0.07; train err 0.0158, dev err 0.0173, minority recall 0.816; dev loss falls to 0.048 and stays
# native-log: fraud_log.csv
# log-expect:
# log-allow:
import csv
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(5)
rs = np.random.RandomState(5)
PRIOR_POS = 0.07
D = 6
MU_POS = np.array([1.6, -1.2, 1.0, 0.0, 0.8, -0.5])
A = rs.randn(D, D) * 0.3 + np.eye(D)
COV = A @ A.T


def transactions(n):
    y = (rs.rand(n) < PRIOR_POS).astype(np.int64)
    X = rs.multivariate_normal(np.zeros(D), COV, n) + y[:, None] * MU_POS
    return X.astype(np.float32), y


def oracle(X):
    P = np.linalg.inv(COV)
    w = P @ MU_POS
    b = -0.5 * MU_POS @ P @ MU_POS + np.log(PRIOR_POS / (1 - PRIOR_POS))
    return (X @ w + b > 0).astype(np.int64)


Xo, yo = transactions(300_000)
BAYES_ERR = float((oracle(Xo) != yo).mean())

Xtr, ytr = transactions(8000)
Xdv, ydv = transactions(3000)
Xtr_t, ytr_t = torch.from_numpy(Xtr), torch.from_numpy(ytr).float()
Xdv_t, ydv_t = torch.from_numpy(Xdv), torch.from_numpy(ydv).float()

model = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 1))
optim = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
crit = nn.BCEWithLogitsLoss()


def scores(X, y):
    with torch.no_grad():
        z = model(X).squeeze(1)
        pred = (z > 0).float()
        err = (pred != y).float().mean().item()
        recall = (pred[y == 1] == 1).float().mean().item()
        return crit(z, y).item(), err, recall


log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "fraud_log.csv")
with open(log_path, "w", newline="") as fh:
    w = csv.writer(fh)
    w.writerow(["epoch", "train_loss", "dev_loss", "train_err", "dev_err", "bayes_err", "dev_recall_pos"])
    for epoch in range(1, 16):
        model.train()
        for batch in torch.randperm(len(ytr_t)).split(128):
            loss = crit(model(Xtr_t[batch]).squeeze(1), ytr_t[batch])
            optim.zero_grad()
            loss.backward()
            optim.step()
        model.eval()
        tl, te, _ = scores(Xtr_t, ytr_t)
        dl, de, rec = scores(Xdv_t, ydv_t)
        w.writerow([epoch, f"{tl:.5f}", f"{dl:.5f}", f"{te:.5f}", f"{de:.5f}", f"{BAYES_ERR:.5f}", f"{rec:.4f}"])
        print(f"ep {epoch:2d} train_loss {tl:.4f} dev_loss {dl:.4f} train_err {te:.4f} dev_err {de:.4f} recall+ {rec:.3f}")

oracle_dev_err = float((oracle(Xdv) != ydv).mean())
print(f"Bayes err {BAYES_ERR:.4f} (oracle on this dev set {oracle_dev_err:.4f}); majority-class err {PRIOR_POS:.2f}")
print(f"train err {te:.4f}  dev err {de:.4f}  minority recall {rec:.3f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(te, 4), "dev_err": round(de, 4), "bayes_err": round(BAYES_ERR, 4),
                                     "oracle_dev_err": round(oracle_dev_err, 4), "train_loss": round(tl, 4),
                                     "val_loss": round(dl, 4), "val_acc": round(1 - de, 4),
                                     "majority_acc": round(1 - PRIOR_POS, 2), "dev_recall_pos": round(rec, 4)}))
