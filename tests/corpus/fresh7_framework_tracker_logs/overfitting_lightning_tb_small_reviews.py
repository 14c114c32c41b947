# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (2400 reviews, same 160 steps) val_acc 0.90, val_loss 0.30; planted (120 reviews) train loss 0.000 and train_acc 1.00 by epoch ~10 while loss/val climbs from its minimum 0.69 to 1.10 and val_acc stalls at 0.71
# control: --control
# native-log: tb_overfit
# log-expect: overfitting
# log-allow: high_variance
"""Planted overfitting: Lightning + TensorBoardLogger with custom tags ("loss/train" per step,
"loss/train_epoch", "loss/val", "metrics/val_acc", "metrics/train_acc" per epoch).
A bag-of-words MLP (vocab 1500 -> 256 -> 256 -> 2, no dropout, no weight decay) for review
sentiment trained for 160 optimizer steps (40 epochs) on only 120 labelled reviews (with 5% label noise): it
memorises the training set while the validation loss climbs. --control trains the identical
model for the same 160 steps on 2400 reviews (~2 epochs) (the amount of data is the only change)."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import TensorBoardLogger
torch.set_num_threads(1)
L.seed_everything(20, verbose=False)
CONTROL = "--control" in sys.argv
N = 2400 if CONTROL else 120
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(20)
V = 1500
wpol = np.zeros(V); sent_words = rng.choice(V, 150, replace=False); wpol[sent_words] = rng.choice([-1, 1], 150) * rng.uniform(0.5, 1.5, 150)
freq = 1.0 / np.arange(1, V + 1) ** 0.9; freq /= freq.sum()
def make(n):
    X = np.zeros((n, V), "float32"); y = np.zeros(n, "int64")
    for i in range(n):
        w = rng.choice(V, rng.integers(20, 60), p=freq)
        y_ = rng.random() < 0.5
        k = rng.integers(2, 6); extra = rng.choice(sent_words[wpol[sent_words] > 0] if y_ else sent_words[wpol[sent_words] < 0], k)
        for t in np.concatenate([w, extra]): X[i, t] += 1
        y[i] = int(y_) if rng.random() > 0.05 else int(not y_)
    return torch.tensor(np.log1p(X)), torch.tensor(y)
Xtr, ytr = make(N); Xva, yva = make(600)
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=300)

class BoW(L.LightningModule):
    def __init__(self):
        super().__init__(); self.f = nn.Sequential(nn.Linear(V, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
    def forward(self, x): return self.f(x)
    def training_step(self, b, i):
        x, y = b; o = self(x); loss = F.cross_entropy(o, y)
        self.log("loss/train", loss, on_step=True, on_epoch=False)
        self.log("loss/train_epoch", loss, on_step=False, on_epoch=True)
        self.log("metrics/train_acc", (o.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss
    def validation_step(self, b, i):
        x, y = b; o = self(x)
        self.log("loss/val", F.cross_entropy(o, y)); self.log("metrics/val_acc", (o.argmax(1) == y).float().mean())
    def configure_optimizers(self): return torch.optim.Adam(self.parameters(), lr=1e-3)
m = BoW()
t = L.Trainer(max_steps=160, max_epochs=-1, logger=TensorBoardLogger(LOGDIR, name="tb_overfit", version=0, default_hp_metric=False), log_every_n_steps=2,
              enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False, accelerator="cpu", devices=1, num_sanity_val_steps=0)
t.fit(m, tr, va)
m.eval()
with torch.no_grad():
    o = m(Xva); vl = F.cross_entropy(o, yva).item(); vacc = (o.argmax(1) == yva).float().mean().item()
    ot = m(Xtr); tl = F.cross_entropy(ot, ytr).item(); tacc = (ot.argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "chance_acc": 0.5, "n_train": N}))
