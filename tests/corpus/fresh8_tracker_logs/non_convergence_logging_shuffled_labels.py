# expect: non_convergence
# allow: overfitting, high_bias
# forbid: *
# evidence: control (aligned labels) reaches val_acc 0.931, val_loss 0.187, train_loss 0.109; planted (independently permuted labels) train_loss 2.07->1.89 (ln8=2.08), val_loss 2.07->2.13, val_acc 0.148 (chance 0.125) after 25 epochs
# control: --control
# native-log: train.log
# log-expect: non_convergence
# log-allow: overfitting, high_bias
"""Feature/label tables loaded separately and shuffled independently (the labels got their own
random permutation when the "train split" was made), so targets no longer match inputs.
Logged with the stdlib logging module to train.log."""
import json
import logging
import os
import sys
import tempfile

import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(21)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv

log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "train.log")
logging.basicConfig(filename=log_path, filemode="w", level=logging.INFO,
                    format="%(asctime)s %(levelname)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
log = logging.getLogger("trainer")


def load_tables(n):
    feats = torch.randn(n, 24)
    proto = torch.randn(8, 24)
    labels = (feats @ proto.T).argmax(1)
    return feats, labels


feats, labels = load_tables(5000)
train_idx = torch.randperm(5000)[:4000]
val_idx = torch.tensor(sorted(set(range(5000)) - set(train_idx.tolist())))
x_tr = feats[train_idx]
# BUG: label split drawn with its own permutation
y_tr = labels[train_idx] if CONTROL else labels[torch.randperm(5000)[:4000]]
x_va, y_va = feats[val_idx], labels[val_idx]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(24, 64)
        self.fc2 = nn.Linear(64, 8)

    def forward(self, x, y=None):
        logits = self.fc2(F.relu(self.fc1(x)))
        return logits if y is None else (logits, F.cross_entropy(logits, y))


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
log.info("start training n_train=%d n_val=%d", len(x_tr), len(x_va))
for epoch in range(1, 26):
    net.train()
    run, seen = 0.0, 0
    for b in torch.randperm(len(x_tr)).split(128):
        _, loss = net(x_tr[b], y_tr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        run += loss.item() * len(b)
        seen += len(b)
    net.eval()
    with torch.no_grad():
        logits, vloss = net(x_va, y_va)
        vacc = (logits.argmax(1) == y_va).float().mean().item()
    train_loss, val_loss = run / seen, vloss.item()
    log.info("epoch=%d train_loss=%.4f val_loss=%.4f val_acc=%.4f lr=%g", epoch, train_loss, val_loss, vacc,
             opt.param_groups[0]["lr"])
    print(f"epoch={epoch} train_loss={train_loss:.4f} val_loss={val_loss:.4f} val_acc={vacc:.4f}")
log.info("done")
print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "val_acc": vacc, "train_loss": train_loss, "chance_acc": 0.125}))
