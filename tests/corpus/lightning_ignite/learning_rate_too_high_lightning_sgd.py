# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units, saturated_activations, high_bias
# forbid: *
# evidence: planted SGD lr=25 (momentum 0.9): train_loss jumps between 5 and 96000, final val_loss 38.07, val_acc 0.352 (chance 0.333); control lr=0.1: val_loss 0.128, val_acc 0.958
# control: --control
# native-log: lightning_logs/version_0/metrics.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients, high_bias
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl
from pytorch_lightning.loggers import CSVLogger

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=25.0)
parser.add_argument("--epochs", type=int, default=12)
parser.add_argument("--control", action="store_true", help="use a sane learning rate (0.1)")
args = parser.parse_args()
if args.control:
    args.lr = 0.1

torch.set_num_threads(1)
pl.seed_everything(7, verbose=False)

# --- synthetic 3-class spiral-ish data built with numpy ---------------------------------------
rng = np.random.default_rng(7)
def ring_data(n):
    y = rng.integers(0, 3, n)
    r = 1.0 + y + 0.25 * rng.standard_normal(n)
    t = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([r * np.cos(t), r * np.sin(t)], 1)
    extra = 0.5 * rng.standard_normal((n, 6))
    return torch.tensor(np.concatenate([x, extra], 1), dtype=torch.float32), torch.tensor(y)

x_train, y_train = ring_data(1500)
x_val, y_val = ring_data(500)


class RingNet(pl.LightningModule):
    def __init__(self, lr):
        super().__init__()
        self.lr = lr
        self.body = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))

    def forward(self, x):
        return self.body(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=False)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        out = self(x)
        self.log("val_loss", F.cross_entropy(out, y), on_epoch=True, prog_bar=False)
        self.log("val_acc", (out.argmax(-1) == y).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr, momentum=0.9)


model = RingNet(args.lr)
logdir = os.environ.get("CORPUS_LOG_DIR", tempfile.mkdtemp(prefix="ring_"))
trainer = pl.Trainer(
    max_epochs=args.epochs,
    logger=CSVLogger(save_dir=logdir, version=0),
    log_every_n_steps=5,
    enable_progress_bar=False,
    enable_model_summary=False,
    accelerator="cpu",
    deterministic=True,
    enable_checkpointing=False,
)
trainer.fit(model,
            DataLoader(TensorDataset(x_train, y_train), batch_size=100, shuffle=True),
            DataLoader(TensorDataset(x_val, y_val), batch_size=500))

model.eval()
with torch.no_grad():
    out = model(x_val)
    metric = {
        "val_loss": float(F.cross_entropy(out, y_val)),
        "val_acc": float((out.argmax(-1) == y_val).float().mean()),
        "train_loss": float(F.cross_entropy(model(x_train), y_train)),
        "chance_acc": 1 / 3,
    }
print("CORPUS_METRIC " + json.dumps({k: (round(v, 4) if v == v else None) for k, v in metric.items()}))
