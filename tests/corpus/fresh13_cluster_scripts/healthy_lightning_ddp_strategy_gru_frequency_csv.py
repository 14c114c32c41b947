"""Lightning cluster config run on a laptop: Trainer(strategy="ddp", devices=1, accelerator="cpu") (one
process, no spawn), sync_dist=True logging, gradient clipping, CSVLogger. A GRU classifies noisy sine
sequences by frequency (3 classes); AdamW + cosine schedule stepped per epoch."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.94 (chance 0.33), val_loss 0.29, train_loss 0.31 after 6 epochs; single process (no spawn)
# native-log: csv/version_0/metrics.csv
# log-expect:
# log-allow:
import json, math, os, random, tempfile, warnings

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")


def make(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    t = torch.arange(24).float()
    freq = (y.float() + 1.0) * 0.06
    phase = torch.rand(n, generator=g) * 2 * math.pi
    x = torch.sin(2 * math.pi * freq[:, None] * t[None] + phase[:, None]) + 0.5 * torch.randn(n, 24, generator=g)
    return x.unsqueeze(-1), y


class GRUClassifier(L.LightningModule):
    def __init__(self, hidden=32, lr=5e-3, epochs=6):
        super().__init__()
        self.save_hyperparameters()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 3)

    def setup(self, stage):
        torch.set_num_threads(1)      # the ddp strategy resets intra-op threads to cpu_count // world_size

    def forward(self, x):
        return self.fc(self.gru(x)[1][-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True, sync_dist=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        out = self(x)
        self.log("val_loss", F.cross_entropy(out, y), sync_dist=True)
        self.log("val_acc", (out.argmax(1) == y).float().mean(), sync_dist=True)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-3)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, self.hparams.epochs)}


def main():
    torch.set_num_threads(1); random.seed(0); np.random.seed(0)
    L.seed_everything(0, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="pl_ddp_")
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make(800, g); xva, yva = make(400, g)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    vdl = DataLoader(TensorDataset(xva, yva), batch_size=200)
    epochs = 6
    model = GRUClassifier(epochs=epochs)
    trainer = L.Trainer(strategy="ddp", devices=1, num_nodes=1, accelerator="cpu", max_epochs=epochs,
                        gradient_clip_val=1.0, logger=CSVLogger(log_dir, name="csv", version=0), log_every_n_steps=10,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False)
    trainer.fit(model, dl, vdl)
    m = trainer.callback_metrics
    if trainer.global_rank == 0:
        print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["val_loss"].item(), 4), "val_acc": round(m["val_acc"].item(), 4),
                                             "train_loss": round(m["train_loss_epoch"].item(), 4), "chance_acc": 0.3333}))


if __name__ == "__main__":
    main()
