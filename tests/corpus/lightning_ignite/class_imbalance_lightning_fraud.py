# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (5% positives): val_acc 0.955 = majority rate 0.955, minority_recall 0.0, balanced_acc 0.50; control (50/50): balanced_acc 0.738, minority_recall 0.770
# control: --control
# native-log: lightning_logs/version_0/metrics.csv
# log-expect:
# log-allow: class_imbalance, high_bias, non_convergence
"""'Fraud' detector: 5% positives whose features overlap the negatives. The model learns to say
'not fraud' for almost everything. --control trains/validates on a 50/50 balanced sample
drawn from the same two class-conditional distributions."""
import argparse
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl
from pytorch_lightning.loggers import CSVLogger

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
ap.add_argument("--pos-frac", type=float, default=0.05)
ap.add_argument("--epochs", type=int, default=8)
opts = ap.parse_args()
pos_frac = 0.5 if opts.control else opts.pos_frac

torch.set_num_threads(1)
pl.seed_everything(42, verbose=False)
gen = torch.Generator().manual_seed(42)
D = 8
SHIFT = torch.tensor([0.6] * 5 + [0.0] * 3)   # positives are shifted a little on 5 features


def draw(n):
    y = (torch.rand(n, generator=gen) < pos_frac).long()
    x = torch.randn(n, D, generator=gen) + y[:, None] * SHIFT
    return x, y


xtr, ytr = draw(2400)
xva, yva = draw(800)
print(f"positives: train {ytr.float().mean():.3f}  val {yva.float().mean():.3f}")


class FraudNet(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))

    def forward(self, x):
        return self.layers(x)

    def training_step(self, batch, idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=2e-3)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


net = FraudNet()
trainer = pl.Trainer(max_epochs=opts.epochs,
                     logger=CSVLogger(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fraud_"), version=0),
                     log_every_n_steps=5, enable_progress_bar=False, enable_model_summary=False,
                     accelerator="cpu", deterministic=True, enable_checkpointing=False)
trainer.fit(net, DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True),
            DataLoader(TensorDataset(xva, yva), batch_size=800))

net.eval()
with torch.no_grad():
    logits = net(xva)
    pred = logits.argmax(1)
    recall_pos = (pred[yva == 1] == 1).float().mean().item()
    recall_neg = (pred[yva == 0] == 0).float().mean().item()
    out = {
        "val_loss": round(F.cross_entropy(logits, yva).item(), 4),
        "val_acc": round((pred == yva).float().mean().item(), 4),
        "balanced_acc": round((recall_pos + recall_neg) / 2, 4),
        "minority_recall": round(recall_pos, 4),
        "majority_rate": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 4),
        "train_loss": round(F.cross_entropy(net(xtr), ytr).item(), 4),
    }
print("CORPUS_METRIC " + json.dumps(out))
