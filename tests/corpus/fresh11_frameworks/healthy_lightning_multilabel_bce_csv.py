"""Healthy: PyTorch Lightning multi-label tagging (BCEWithLogits) on synthetic sensor features.

Each sample has 24 standardised features and 6 tags with different base rates
(10 %..50 %). A two-layer MLP is trained with AdamW, a LearningRateMonitor, EarlyStopping on
val_loss and a ModelCheckpoint; metrics go to Lightning's CSVLogger (metrics.csv).
"""
# expect:
# allow: high_variance
# forbid: *
# evidence: val micro-F1 0.93 vs 0.96 for the noise-free Bayes decision (base-rate loss 0.55, val_loss 0.090); val_loss falls every few epochs to the end (0.36 -> 0.090), train_loss 0.067 (eval mode), train micro-F1 0.96. high_variance allowed as borderline: train F1 ~ Bayes, so the 0.03 val-train gap is small but larger than the ~0 avoidable bias
# native-log: metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
torch.set_num_threads(1)
random.seed(0); np.random.seed(0); torch.manual_seed(0)

import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import EarlyStopping, LearningRateMonitor, ModelCheckpoint

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_ml_")
os.makedirs(LOG_DIR, exist_ok=True)

# ---- synthetic multi-label data: tag k fires when a noisy linear score passes a threshold
rng = np.random.default_rng(0)
N, D, K = 6000, 24, 6
X = rng.normal(size=(N, D)).astype(np.float32)
W = rng.normal(size=(D, K)) / np.sqrt(D) * 3.0
H = np.tanh(X[:, :12] @ rng.normal(size=(12, K)) / np.sqrt(12))  # a nonlinear part
clean = X @ W + 1.5 * H
score = clean + 0.3 * rng.normal(size=(N, K))
rates = np.array([0.10, 0.18, 0.25, 0.33, 0.42, 0.50])
thr = np.array([np.quantile(score[:, k], 1 - rates[k]) for k in range(K)])
Y = (score > thr).astype(np.float32)
Xtr, Ytr = torch.tensor(X[:5000]), torch.tensor(Y[:5000])
Xva, Yva = torch.tensor(X[5000:]), torch.tensor(Y[5000:])
bayes_logits = torch.tensor(clean[5000:] - thr, dtype=torch.float32)  # decision of the noise-free score
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, Ytr), batch_size=128, shuffle=True)
val_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, Yva), batch_size=256)


def micro_f1(logits, y):
    p = (logits > 0).float()
    tp = (p * y).sum(); fp = (p * (1 - y)).sum(); fn = ((1 - p) * y).sum()
    return (2 * tp / (2 * tp + fp + fn + 1e-9)).item()


class Tagger(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D, 96), nn.ReLU(), nn.Dropout(0.2), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, K))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.binary_cross_entropy_with_logits(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.binary_cross_entropy_with_logits(logits, y), prog_bar=False)
        self.log("val_micro_f1", micro_f1(logits, y))

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=2e-3, weight_decay=5e-2)
        sch = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sch, "interval": "epoch"}}


model = Tagger()
trainer = L.Trainer(
    max_epochs=20, accelerator="cpu", devices=1, enable_progress_bar=False, enable_model_summary=False,
    logger=CSVLogger(save_dir=LOG_DIR, name="", version=""), log_every_n_steps=10,
    callbacks=[EarlyStopping(monitor="val_loss", patience=4), LearningRateMonitor(logging_interval="epoch"),
               ModelCheckpoint(dirpath=os.path.join(LOG_DIR, "ckpt"), monitor="val_loss", save_top_k=1)],
)
trainer.fit(model, train_dl, val_dl)

model.eval()
with torch.no_grad():
    lv = model(Xva); lt = model(Xtr)
    val_loss = F.binary_cross_entropy_with_logits(lv, Yva).item()
    train_loss = F.binary_cross_entropy_with_logits(lt, Ytr).item()
    base = Ytr.mean(0).clamp(1e-4, 1 - 1e-4)
    base_loss = F.binary_cross_entropy(base.expand_as(Yva), Yva).item()
print("epochs run:", trainer.current_epoch, "metrics.csv:", os.path.exists(os.path.join(LOG_DIR, "metrics.csv")))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_micro_f1": round(micro_f1(lv, Yva), 4), "train_micro_f1": round(micro_f1(lt, Ytr), 4),
                                     "bayes_micro_f1": round(micro_f1(bayes_logits, Yva), 4), "train_loss": round(train_loss, 4), "base_rate_val_loss": round(base_loss, 4)}))
