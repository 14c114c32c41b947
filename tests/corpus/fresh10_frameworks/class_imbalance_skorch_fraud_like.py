# expect: class_imbalance
# allow: high_variance, overfitting
# forbid: *
# evidence: planted (2% positives in training) train acc 0.983 ~ majority rate 0.98, balanced val acc 0.529, rare-class recall 0.058, val_loss 1.68; control (50/50 training sample, same size) val acc 0.891, rare recall 0.914, val_loss 0.267 (chance 0.5)
# control: --control
# native-log: history.json
# log-expect:
# log-allow: class_imbalance, high_variance, overfitting
"""skorch NeuralNetClassifier on a synthetic fraud-like table (16 features, make_classification).
Planted: the training sample keeps only 2% positives (the rare class heavily under-sampled by the
extraction query), plain unweighted CrossEntropy. The held-out set is balanced (50/50), as the audit
set is. --control: the training sample of the same size is drawn 50/50 as well."""
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetClassifier
from sklearn.datasets import make_classification

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = make_classification(n_samples=12000, n_features=16, n_informative=6, n_redundant=2, class_sep=0.7,
                           flip_y=0.0, weights=[0.5, 0.5], random_state=0)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32); y = y.astype(np.int64)
rng = np.random.default_rng(0)
pos, neg = rng.permutation(np.where(y == 1)[0]), rng.permutation(np.where(y == 0)[0])
va_idx = np.concatenate([pos[:500], neg[:500]])
n_tr, p_frac = 3000, (0.5 if CONTROL else 0.02)
n_pos = int(n_tr * p_frac)
tr_idx = rng.permutation(np.concatenate([pos[500:500 + n_pos], neg[500:500 + n_tr - n_pos]]))
Xtr, ytr, Xva, yva = X[tr_idx], y[tr_idx], X[va_idx], y[va_idx]

net = NeuralNetClassifier(nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2)),
                          criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=1e-3, max_epochs=15,
                          batch_size=64, verbose=0, train_split=None)
net.fit(Xtr, ytr)
net.history.to_file(os.path.join(LOG_DIR, "history.json"))
pv, pt = net.predict(Xva), net.predict(Xtr)
rec = lambda p, t, c: float((p[t == c] == c).mean())
print("CORPUS_METRIC " + json.dumps({"val_acc": round(float((pv == yva).mean()), 4), "val_balanced_acc": round((rec(pv, yva, 0) + rec(pv, yva, 1)) / 2, 4),
                                     "val_recall_rare": round(rec(pv, yva, 1), 4), "train_acc": round(float((pt == ytr).mean()), 4),
                                     "train_pos_frac": round(float(ytr.mean()), 4), "val_loss": round(float(nn.functional.cross_entropy(torch.tensor(net.predict_proba(Xva)).log(), torch.tensor(yva))), 4),
                                     "chance_acc": 0.5}))
