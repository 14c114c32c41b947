# expect: dead_units
# allow: poor_initialization, high_bias, non_convergence, learning_rate_too_low
# forbid: *
# evidence: planted (bias -4): probe 87.5% of layer-1 and 100% of layer-2 ReLUs never fire on val; val_acc 0.487, loss 0.693 (chance 0.51); control: 0% dead, val_acc 0.925, val_loss 0.19
# control: --control
# native-log: history.json
# log-expect:
# log-allow: high_bias, non_convergence, learning_rate_too_low
# skorch classifier whose custom init sets every hidden ReLU bias to -4 ("to make
# the representation sparse"). Inputs are standardised, so pre-activations are ~N(-4, 1): almost all
# units never fire. --control keeps PyTorch's default bias init.
import os, sys, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetClassifier

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)

rs = np.random.RandomState(1)
Xall = rs.randn(3000, 10).astype(np.float32)
yall = (np.sin(2 * Xall[:, 0]) + Xall[:, 1] * Xall[:, 2] > 0).astype(np.int64)
X, y, Xv, yv = Xall[:2400], yall[:2400], Xall[2400:], yall[2400:]

class SparseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(10, 128); self.l2 = nn.Linear(128, 128); self.out = nn.Linear(128, 2)
        if not CONTROL:
            for l in (self.l1, self.l2):
                nn.init.normal_(l.weight, 0, 1 / np.sqrt(l.in_features))
                nn.init.constant_(l.bias, -4.0)
    def forward(self, x):
        self.h1 = torch.relu(self.l1(x))
        return self.out(torch.relu(self.l2(self.h1)))

net = NeuralNetClassifier(SparseNet, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD, optimizer__momentum=0.9,
                          lr=0.02, max_epochs=20, batch_size=64, iterator_train__shuffle=True, verbose=0)
net.fit(X, y)
net.history.to_file(os.path.join(logdir, "history.json"))
with torch.no_grad():
    m = net.module_; m.eval()
    lv = m(torch.tensor(Xv)); h1 = m.h1; h2 = torch.relu(m.l2(h1))
    lt = m(torch.tensor(X))
dead1 = (h1.max(0).values <= 0).float().mean().item(); dead2 = (h2.max(0).values <= 0).float().mean().item()
print(f"probe: never-firing ReLUs on val: layer1 {dead1:.3f}, layer2 {dead2:.3f}")
ce = nn.functional.cross_entropy
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ce(lv, torch.tensor(yv)).item(), 4), "val_acc": round((lv.argmax(1).numpy() == yv).mean().item(), 4),
      "train_loss": round(ce(lt, torch.tensor(y)).item(), 4), "chance_acc": round(max(yv.mean(), 1 - yv.mean()).item(), 4), "dead_l1": round(dead1, 3), "dead_l2": round(dead2, 3)}))
