# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units, high_bias
# forbid: *
# evidence: planted (SGD lr 3.0): train_loss 1.53, val_loss 1.50, val_acc 0.383 = majority-class chance 0.383; control (lr 0.03): val_acc 0.913, val_loss 0.28, train_loss 0.067
# control: --control
# native-log: skorch_lr_history.json
# log-expect:
# log-allow: learning_rate_too_high, non_finite, non_convergence, high_bias, exploding_gradients
# skorch NeuralNetClassifier with SGD(momentum=0.9) and lr=3.0 -- the grid-search result was 0.03
# and a decimal point slipped. --control uses lr=0.03.
import os, sys, json, tempfile, math
import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
torch.set_num_threads(1); torch.manual_seed(10)
lr = 0.03 if "--control" in sys.argv else 3.0
d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(d, exist_ok=True)
rs = np.random.RandomState(10)
Xa = rs.randn(3000, 15).astype(np.float32)
ya = (Xa[:, :3] @ np.array([1.0, -1.0, 0.5]) + np.tanh(Xa[:, 3] * Xa[:, 4]) > 0).astype(np.int64) + 2 * (Xa[:, 5] > 0.5)
X, y, Xv, yv = Xa[:2400], ya[:2400], Xa[2400:], ya[2400:]
module = nn.Sequential(nn.Linear(15, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 4))
net = NeuralNetClassifier(module, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD, optimizer__momentum=0.9,
                          lr=lr, max_epochs=15, batch_size=32, iterator_train__shuffle=True, verbose=0)
net.fit(X, y)
net.history.to_file(os.path.join(d, "skorch_lr_history.json"))
with torch.no_grad():
    lv = net.forward(Xv); lt = net.forward(X)
ce = lambda lo, t: nn.functional.cross_entropy(lo, torch.tensor(t)).item()
vl, tl = ce(lv, yv), ce(lt, y)
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(float((lv.argmax(1).numpy() == yv).mean()), 4), "train_loss": fin(tl),
                                     "chance_acc": round(float(np.bincount(yv).max() / len(yv)), 4)}))
