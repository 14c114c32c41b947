"""skorch NeuralNetBinaryClassifier (threshold=0.4) on a synthetic churn-like table (standardised inside an sklearn
Pipeline), with callbacks: LRScheduler(CosineAnnealingLR), GradientNormClipping(1.0), EpochScoring with a custom
balanced-accuracy scorer, Checkpoint on best valid_loss, EarlyStopping(patience=6), load the best params at the end.
History saved with save_params(f_history=...) into $CORPUS_LOG_DIR."""
# expect:
# allow:
# forbid: *
# evidence: 30% positives (majority 0.69): test acc 0.960, balanced acc 0.950, test loss 0.161; train/valid loss 0.115/0.125 at the end (no gap), early stopping/best checkpoint loaded
# native-log: skorch_history.json
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
from torch import nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from skorch import NeuralNetBinaryClassifier
from skorch.callbacks import LRScheduler, GradientNormClipping, EpochScoring, Checkpoint, EarlyStopping
from skorch.dataset import ValidSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, make_scorer
from sklearn.model_selection import train_test_split

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
CK = tempfile.mkdtemp()
X, y = make_classification(n_samples=3000, n_features=16, n_informative=8, weights=[0.7, 0.3], flip_y=0.03, class_sep=1.2, random_state=0)
X = (X * np.r_[np.full(8, 30.0), np.ones(8)] + np.r_[np.full(8, 200.0), np.zeros(8)]).astype(np.float32)  # raw tenure/charges-like scales
y = y.astype(np.float32)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        return self.f(x).squeeze(-1)


bal = EpochScoring(make_scorer(balanced_accuracy_score), lower_is_better=False, name="valid_bal_acc")
cp = Checkpoint(monitor="valid_loss_best", dirname=CK, load_best=True)
net = NeuralNetBinaryClassifier(Net, threshold=0.4, optimizer=torch.optim.AdamW, lr=3e-3, optimizer__weight_decay=1e-3, max_epochs=30,
                                batch_size=64, train_split=ValidSplit(0.2, stratified=True, random_state=0), verbose=0,
                                iterator_train__shuffle=True,
                                callbacks=[bal, LRScheduler("CosineAnnealingLR", T_max=30), GradientNormClipping(1.0), cp,
                                           EarlyStopping(patience=6)])
pipe = Pipeline([("scale", StandardScaler()), ("net", net)])
pipe.fit(Xtr, ytr)
net.save_params(f_history=os.path.join(LOG_DIR, "skorch_history.json"))
p = pipe.predict_proba(Xte)[:, 1]
pred = (p > 0.4).astype(np.float32)
val_loss = float(-(yte * np.log(np.clip(p, 1e-7, 1)) + (1 - yte) * np.log(np.clip(1 - p, 1e-7, 1))).mean())
h = net.history
print("epochs:", len(h), "best valid_loss:", round(min(h[:, "valid_loss"]), 4))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(float((pred == yte).mean()), 4),
                                     "val_balanced_acc": round(float(balanced_accuracy_score(yte, pred)), 4), "train_loss": round(float(h[-1, "train_loss"]), 4),
                                     "majority_acc": round(float(max(yte.mean(), 1 - yte.mean())), 4)}))
