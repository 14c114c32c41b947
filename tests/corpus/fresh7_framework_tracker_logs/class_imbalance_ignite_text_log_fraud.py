# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (50% fraud) balanced_acc 0.79, fraud recall 0.81; planted (3% fraud) predicts "legit" for all 1500 val rows: val_acc 0.968 = majority rate 0.968, fraud recall 0.00, balanced_acc 0.50
# control: --control
# native-log: ignite_fraud.log
# log-expect:
# log-allow: class_imbalance, non_convergence
"""Planted class_imbalance: PyTorch-Ignite (create_supervised_trainer, plain text log through
Python logging: per-iteration loss and per-epoch "Validation Results - Epoch: N  Avg accuracy:
... Avg loss: ... Recall(fraud): ...") for a synthetic card-fraud detector where only 3% of
the transactions (train and val) are fraud; unweighted cross-entropy, so the MLP learns to
answer "legit" almost always: accuracy sits at the majority rate while fraud recall is ~0.
--control draws the same generator with 50% fraud (balanced labels); nothing else changes."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(8)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss, Recall
CONTROL = "--control" in sys.argv
P_FRAUD = 0.5 if CONTROL else 0.03
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
log = logging.getLogger("fraud"); log.setLevel(logging.INFO); log.propagate = False
fh = logging.FileHandler(os.path.join(LOGDIR, "ignite_fraud.log"), mode="w")
fh.setFormatter(logging.Formatter("%(asctime)s - %(levelname)s - %(message)s")); log.addHandler(fh)

rng = np.random.default_rng(8)
shift = rng.normal(0, 1, 14); shift *= 1.1 / np.linalg.norm(shift)
def make(n):
    y = (rng.random(n) < P_FRAUD).astype("int64")
    x = rng.normal(0, 1, (n, 14)) + np.outer(y, shift) * 1.6
    x[:, 0] += 0.6 * y * rng.normal(0, 1, n) ** 2
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(4000); Xva, yva = make(1500)
mu, sd = Xtr.mean(0), Xtr.std(0); Xtr = (Xtr - mu) / sd; Xva = (Xva - mu) / sd
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=128, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=500)

model = nn.Sequential(nn.Linear(14, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
trainer = create_supervised_trainer(model, opt, F.cross_entropy)
ev = create_supervised_evaluator(model, metrics={"accuracy": Accuracy(), "loss": Loss(F.cross_entropy), "recall": Recall()})
@trainer.on(Events.ITERATION_COMPLETED(every=10))
def _(e): log.info("Epoch[{}] Iteration[{}] Loss: {:.4f}".format(e.state.epoch, e.state.iteration, e.state.output))
@trainer.on(Events.EPOCH_COMPLETED)
def _(e):
    m = ev.run(va).metrics
    log.info("Validation Results - Epoch: {}  Avg accuracy: {:.4f} Avg loss: {:.4f} Recall(fraud): {:.4f}".format(e.state.epoch, m["accuracy"], m["loss"], float(m["recall"][1])))
trainer.run(tr, max_epochs=8)
m = ev.run(va).metrics
with torch.no_grad():
    pred = model(Xva).argmax(1); tl = F.cross_entropy(model(Xtr), ytr).item()
hist = torch.bincount(pred, minlength=2).tolist()
rec = [((pred == c) & (yva == c)).sum().item() / max(1, (yva == c).sum().item()) for c in (0, 1)]
maj = max(yva.float().mean().item(), 1 - yva.float().mean().item())
print("probe predicted-class histogram", hist, "true", torch.bincount(yva, minlength=2).tolist(), "recall per class", [round(r, 3) for r in rec])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["accuracy"], 4), "train_loss": round(tl, 4),
                                     "balanced_acc": round(sum(rec) / 2, 4), "fraud_recall": round(rec[1], 4), "majority_rate": round(maj, 4), "chance_acc": round(maj, 4)}))
