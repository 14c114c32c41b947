# expect:
# forbid: *
# evidence: separable 3-class blobs, 40 epochs: train_loss 0.0006, val_loss falls monotonically 0.552 -> 0.0007, val_acc 1.0 from epoch 2 on (chance 0.333)
# native-log: lightning_logs/version_0/metrics.csv
# log-expect:
"""Long training on a cleanly separable 3-class problem: the training loss goes to ~0 and the
validation loss follows it down (no label noise, so nothing to overfit). Keeps Lightning's default
sanity-check validation (num_sanity_val_steps=2) before training."""
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(21, verbose=False)

rs = np.random.RandomState(21)
centres = np.array([[4, 0, 0, 0, 0, 0], [0, 4, 0, 0, 0, 0], [0, 0, 4, 0, 0, 0]], dtype=np.float32)


def draw(n):
    labels = rs.randint(0, 3, size=n)
    feats = centres[labels] + 0.7 * rs.randn(n, 6).astype(np.float32)
    return torch.from_numpy(feats), torch.from_numpy(labels).long()


x_train, y_train = draw(512)
x_val, y_val = draw(512)


class Net(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(6, 32)
        self.l2 = nn.Linear(32, 3)

    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))

    def training_step(self, batch, batch_idx):
        inputs, target = batch
        loss = F.cross_entropy(self(inputs), target)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        inputs, target = batch
        logits = self(inputs)
        self.log("val_loss", F.cross_entropy(logits, target), on_epoch=True)
        self.log("val_acc", (logits.argmax(dim=1) == target).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-2)


net = Net()
trainer = L.Trainer(
    max_epochs=40,
    logger=CSVLogger(os.environ.get("CORPUS_LOG_DIR", tempfile.mkdtemp()), version=0),
    log_every_n_steps=2,
    enable_progress_bar=False,
    enable_model_summary=False,
    accelerator="cpu",
    deterministic=True,
    enable_checkpointing=False,
)
trainer.fit(net, DataLoader(TensorDataset(x_train, y_train), batch_size=128, shuffle=True),
            DataLoader(TensorDataset(x_val, y_val), batch_size=128))

net.eval()
with torch.no_grad():
    tr = F.cross_entropy(net(x_train), y_train).item()
    logits = net(x_val)
    vl = F.cross_entropy(logits, y_val).item()
    acc = (logits.argmax(1) == y_val).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 5), "val_acc": round(acc, 4), "train_loss": round(tr, 5), "chance_acc": 0.3333}))
