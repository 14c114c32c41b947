# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (SGD lr=1e-5, momentum 0.9) train_loss 1.395 -> 1.392 in 20 epochs, val_acc 0.30, val_loss 1.381 (chance 0.25, ln4=1.386); control (lr=0.01) val_acc 0.95, val_loss 0.117
# control: --control
# native-log: history.json
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import sys, os, json, tempfile
import numpy as np
import torch
from torch import nn
from skorch import NeuralNetClassifier
from skorch.dataset import ValidSplit

# 4-class teacher problem; SGD with lr=1e-5 (the sweep script forgot to multiply by 1000)
torch.set_num_threads(1)
LR = 0.01 if "--control" in sys.argv else 1e-5

g = np.random.default_rng(17)
teacher = g.normal(size=(16, 4))
X = g.normal(size=(1400, 16)).astype(np.float32)
y = (X @ teacher).argmax(1).astype(np.int64)

torch.manual_seed(17)
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
clf = NeuralNetClassifier(model, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD,
                          optimizer__momentum=0.9, lr=LR, max_epochs=20, batch_size=32,
                          iterator_train__shuffle=True, train_split=ValidSplit(5, stratified=True),
                          verbose=0)
clf.fit(X, y)

out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(out, exist_ok=True)
clf.history.to_file(os.path.join(out, "history.json"))
h = clf.history
for row in h[::4]:
    print(row["epoch"], round(row["train_loss"], 4), round(row["valid_loss"], 4), round(row["valid_acc"], 3))
print("CORPUS_METRIC " + json.dumps({"lr": LR, "val_loss": round(h[-1, "valid_loss"], 4),
                                     "val_acc": round(h[-1, "valid_acc"], 4),
                                     "train_loss": round(h[-1, "train_loss"], 4),
                                     "first_train_loss": round(h[0, "train_loss"], 4), "chance_acc": 0.25}))
