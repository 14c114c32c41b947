# expect:
# forbid: *
# evidence: 4-class blob mixture (Bayes acc ~0.97); Adam 2e-3, 10 epochs -> val_acc 0.966, val_loss 0.106 (chance 0.25), val_loss falls every epoch to its minimum at the end
# native-log: lightning_logs/version_0/metrics.csv
# log-expect:
"""MLP on a 4-class blob mixture, trained with PyTorch Lightning."""
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(0, verbose=False)

N_FEATURES, N_CLASSES = 10, 4


def make_data(n_train=2000, n_val=500, spread=1.4):
    """Four classes, each a pair of gaussian blobs (so the boundary is non-linear)."""
    g = torch.Generator().manual_seed(1)
    centers = torch.randn(N_CLASSES * 2, N_FEATURES, generator=g) * spread
    n = n_train + n_val
    y = torch.randint(0, N_CLASSES, (n,), generator=g)
    sub = torch.randint(0, 2, (n,), generator=g)
    x = centers[y * 2 + sub] + torch.randn(n, N_FEATURES, generator=g)
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


class Classifier(L.LightningModule):
    def __init__(self, hidden=64, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Linear(N_FEATURES, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, N_CLASSES),
        )

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def main():
    (xtr, ytr), (xva, yva) = make_data()
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=256)

    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    model = Classifier()
    trainer = L.Trainer(
        max_epochs=10,
        logger=CSVLogger(log_dir, version=0),
        log_every_n_steps=4,
        enable_progress_bar=False,
        enable_model_summary=False,
        accelerator="cpu",
        deterministic=True,
        enable_checkpointing=False,
    )
    trainer.fit(model, train_dl, val_dl)

    model.eval()
    with torch.no_grad():
        tr_loss = F.cross_entropy(model(xtr), ytr).item()
        logits = model(xva)
        va_loss = F.cross_entropy(logits, yva).item()
        va_acc = (logits.argmax(1) == yva).float().mean().item()
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(va_loss, 4), "val_acc": round(va_acc, 4),
        "train_loss": round(tr_loss, 4), "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
