"""1-D CNN on synthetic waveforms (3 shapes + noise + random phase), SGD with Nesterov momentum
and CosineAnnealingLR, ModelCheckpoint on val_acc, TensorBoardLogger.
"""
# expect:
# allow:
# forbid: *
# evidence: 3-way waveform classification; held-out val_acc 0.95 (chance 0.33), val_loss 0.16
# native-log: tb
# log-expect:
# log-allow:
import json, math, os, tempfile, warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import TensorBoardLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
L = 64


def waveforms(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    t = torch.linspace(0, 1, L).expand(n, L)
    freq = 2 + 3 * torch.rand(n, 1, generator=g)
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    arg = 2 * math.pi * freq * t + phase
    sine = torch.sin(arg)
    square = torch.sign(torch.sin(arg))
    saw = 2 * ((arg / (2 * math.pi)) % 1.0) - 1
    x = torch.where(y[:, None] == 0, sine, torch.where(y[:, None] == 1, square, saw))
    x = x * (0.5 + torch.rand(n, 1, generator=g)) + 0.4 * torch.randn(n, L, generator=g)
    return x.unsqueeze(1), y


class WaveNet(pl.LightningModule):
    def __init__(self, lr=0.05, epochs=8):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(
            nn.Conv1d(1, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        return self.fc(self.conv(x).flatten(1))

    def _shared(self, batch, prefix):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log(f"{prefix}_loss", loss, on_epoch=True, on_step=(prefix == "train"))
        self.log(f"{prefix}_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True, on_step=False)
        return loss

    def training_step(self, batch, batch_idx):
        return self._shared(batch, "train")

    def validation_step(self, batch, batch_idx):
        self._shared(batch, "val")

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.hparams.epochs)}


def main():
    pl.seed_everything(5, verbose=False)
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    xtr, ytr = waveforms(2000, 0)
    xva, yva = waveforms(600, 1)
    model = WaveNet()
    ck = ModelCheckpoint(dirpath=tempfile.mkdtemp(), monitor="val_acc", mode="max")
    trainer = pl.Trainer(max_epochs=8, logger=TensorBoardLogger(logdir, name="tb", version=""), callbacks=[ck],
                         accelerator="cpu", enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=8)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=300))
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        lt = model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4), "chance_acc": 0.3333}))


main()
