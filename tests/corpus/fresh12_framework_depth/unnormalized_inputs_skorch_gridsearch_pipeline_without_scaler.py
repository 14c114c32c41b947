"""skorch NeuralNetClassifier inside an sklearn Pipeline, tuned by GridSearchCV (3-fold) over two learning rates; the
refit on the whole train split is the training that counts. The Pipeline was meant to be
[StandardScaler, net] but the scaler was dropped, so the breast-cancer features go in raw (area ~ 100-2500,
smoothness ~ 0.05-0.16). --control puts the StandardScaler back. The refit's history is saved with
net.history.to_file into $CORPUS_LOG_DIR."""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias
# forbid: *
# evidence: train feature std ranges 0.003..~570; planted refit: first-epoch train loss 10.3, plateaus ~0.23, test acc 0.924, test loss 0.212, cv acc 0.915; control (StandardScaler back): train loss 0.019, test acc 0.947, test loss 0.148, cv acc 0.975
# control: --control
# native-log: skorch_history.json
# log-expect:
# log-allow: non_convergence, learning_rate_too_high, high_bias
import os, sys, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
from torch import nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from skorch import NeuralNetClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.datasets import load_breast_cancer

CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = load_breast_cancer(return_X_y=True)
X = X.astype(np.float32); y = y.astype(np.int64)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
print("feature scale range (train std):", float(Xtr.std(0).min()), float(Xtr.std(0).max()))


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x):
        return self.net(x)


net = NeuralNetClassifier(MLP, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, max_epochs=25, batch_size=32,
                          train_split=None, verbose=0, iterator_train__shuffle=True)
steps = ([("scale", StandardScaler())] if CONTROL else []) + [("net", net)]
pipe = Pipeline(steps)
gs = GridSearchCV(pipe, {"net__lr": [1e-3, 3e-3]}, cv=3, scoring="accuracy", refit=True)
torch.manual_seed(0)
gs.fit(Xtr, ytr)
best = gs.best_estimator_
best.named_steps["net"].history.to_file(os.path.join(LOG_DIR, "skorch_history.json"))
proba = best.predict_proba(Xte)
val_loss = float(-np.log(np.clip(proba[np.arange(len(yte)), yte], 1e-7, 1)).mean())
hist = best.named_steps["net"].history
print("refit train_loss per epoch:", [round(v, 3) for v in hist[:, "train_loss"]])
print("CORPUS_METRIC " + json.dumps({"val_acc": round(float((proba.argmax(1) == yte).mean()), 4), "val_loss": round(val_loss, 4),
                                     "train_loss": round(float(hist[-1, "train_loss"]), 4), "best_lr": gs.best_params_["net__lr"],
                                     "cv_acc": round(float(gs.best_score_), 4), "majority_acc": round(float(max(yte.mean(), 1 - yte.mean())), 4)}))
