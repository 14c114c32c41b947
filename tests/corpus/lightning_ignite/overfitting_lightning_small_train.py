# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (48 train examples): train_loss 0.0000, train_acc 1.0, val_loss climbs from 0.531 (epoch 5) to 1.688, val_acc 0.733; control (1600 examples, same 150 steps): val_loss 0.341, val_acc 0.849 (chance 0.5)
# control: --control
# native-log: lightning_logs/version_0/metrics.csv
# log-expect: overfitting
# log-allow: high_variance
"""A wide MLP trained for many epochs on only 48 labelled examples of a noisy 2-class problem.

--control gives it the full 1600-example training set (same model, same number of optimizer steps).
"""
import json
import os
import sys
import tempfile

import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(0, verbose=False)

CONTROL = "--control" in sys.argv
N_TRAIN = 1600 if CONTROL else 48
STEPS = 150

# two overlapping classes in 20-D; only a few directions carry signal
g = torch.Generator().manual_seed(5)
w_true = torch.zeros(20)
w_true[:4] = torch.tensor([1.2, -0.9, 0.7, 0.5])

def sample(n):
    x = torch.randn(n, 20, generator=g)
    logit = x @ w_true + 0.8 * torch.sin(2 * x[:, 0])
    y = (torch.rand(n, generator=g) < torch.sigmoid(2.0 * logit)).long()
    return x, y

x_pool, y_pool = sample(1600)
x_tr, y_tr = x_pool[:N_TRAIN], y_pool[:N_TRAIN]
x_va, y_va = sample(800)


class WideNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 2))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


# full-batch on the small set; the control uses batches of 48 so both take STEPS optimizer steps
bs = 48
steps_per_epoch = N_TRAIN // bs
epochs = STEPS // steps_per_epoch
train_dl = DataLoader(TensorDataset(x_tr, y_tr), batch_size=bs, shuffle=True, drop_last=True)
val_dl = DataLoader(TensorDataset(x_va, y_va), batch_size=800)

root = os.environ.get("CORPUS_LOG_DIR", tempfile.mkdtemp())
model = WideNet()
trainer = L.Trainer(max_epochs=epochs, logger=CSVLogger(root, version=0), log_every_n_steps=1,
                    check_val_every_n_epoch=max(1, epochs // 30),
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu",
                    deterministic=True, enable_checkpointing=False)
trainer.fit(model, train_dl, val_dl)

model.eval()
with torch.no_grad():
    lv = model(x_va)
    lt = model(x_tr)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(F.cross_entropy(lv, y_va).item(), 4),
    "val_acc": round((lv.argmax(1) == y_va).float().mean().item(), 4),
    "train_loss": round(F.cross_entropy(lt, y_tr).item(), 4),
    "train_acc": round((lt.argmax(1) == y_tr).float().mean().item(), 4),
    "chance_acc": 0.5, "n_train": N_TRAIN,
}))
