"""skorch NeuralNet (the generic class) with a custom criterion module: a hand-written binary cross-entropy on
sigmoid probabilities, -(y*log(p) + (1-y)*log(1-p)), no clamping. On the (standardised, nearly separable) breast-cancer
data the logits grow past ~17, sigmoid rounds to exactly 1.0 in float32, log(0) = -inf and the loss/gradients turn NaN.
--control swaps the criterion body for the numerically stable F.binary_cross_entropy_with_logits (same maths).
History saved with net.history.to_file."""
# expect: non_finite
# allow: exploding_gradients, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted: train_loss 0.394 in epoch 1, NaN from epoch 3 on (58/60 epochs non-finite), final weights NaN so test acc/loss undefined; control (BCE-with-logits, same maths): no NaN, test acc 0.959, last valid_loss 0.116
# control: --control
# native-log: skorch_history.json
# log-expect: non_finite
# log-allow: non_convergence, exploding_gradients, learning_rate_too_high
import os, sys, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from skorch import NeuralNet
from skorch.dataset import ValidSplit
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()


class NaiveBCE(nn.Module):
    def forward(self, logits, y):
        logits = logits.squeeze(-1)
        if CONTROL:
            return F.binary_cross_entropy_with_logits(logits, y)
        p = torch.sigmoid(logits)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


X, y = load_breast_cancer(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xte = sc.transform(Xtr).astype(np.float32), sc.transform(Xte).astype(np.float32)
ytr, yte = ytr.astype(np.float32), yte.astype(np.float32)
module = nn.Sequential(nn.Linear(30, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
net = NeuralNet(module, criterion=NaiveBCE, optimizer=torch.optim.Adam, lr=3e-3, max_epochs=60, batch_size=32, verbose=0,
                train_split=ValidSplit(0.2, random_state=0), iterator_train__shuffle=True)
net.fit(Xtr, ytr)
net.history.to_file(os.path.join(LOG_DIR, "skorch_history.json"))
tl = np.array(net.history[:, "train_loss"], dtype=float); vl = np.array(net.history[:, "valid_loss"], dtype=float)
first_nan = int(np.argmax(~np.isfinite(tl))) + 1 if (~np.isfinite(tl)).any() else None
print(f"first epoch with non-finite train_loss: {first_nan}; non-finite epochs {int((~np.isfinite(tl)).sum())}/{len(tl)}")
with torch.no_grad():
    logit = net.module_(torch.tensor(Xte)).squeeze(-1)
p = torch.sigmoid(logit).numpy()
acc = float(((p > 0.5) == (yte > 0.5)).mean()) if np.isfinite(p).all() else None
tlf = float(F.binary_cross_entropy_with_logits(logit, torch.tensor(yte)).item())
fin = lambda v: round(float(v), 4) if np.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_acc": acc, "val_loss": fin(tlf), "train_loss_last": fin(tl[-1]), "valid_loss_last": fin(vl[-1]),
                                     "majority_acc": round(float(max(yte.mean(), 1 - yte.mean())), 4)}))
