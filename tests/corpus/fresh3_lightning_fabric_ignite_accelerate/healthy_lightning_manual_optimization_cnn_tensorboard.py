# expect:
# allow:
# forbid: *
# evidence: val_acc 0.937, val_loss 0.154 (chance 0.25); train_acc 0.986
# native-log: bars_tb/version_0
# log-expect:
# log-allow:
"""Small CNN on synthetic 16x16 'bar orientation' images (4 classes: horizontal, vertical, and the two
diagonals, at random positions, strong pixel noise). Written with Lightning *manual optimisation*
(automatic_optimization=False): manual_backward, self.clip_gradients(norm 2.0) on every step, an
ExponentialLR stepped by hand at each epoch end, TensorBoardLogger. A well-behaved training; the
per-step loss is noisy because of the pixel noise and batch size 32.
native-log is the TensorBoard run folder (holds one events.out.tfevents.* file).
"""
import json
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

import pytorch_lightning as pl
from pytorch_lightning.loggers import TensorBoardLogger

warnings.filterwarnings("ignore")
S = 16


def bars(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 1, S, S)
    ii = torch.arange(S)
    for k in range(n):
        c = int(torch.randint(3, S - 3, (1,), generator=g))
        lab = int(y[k])
        if lab == 0:
            img[k, 0, c, 2:S - 2] = 1.0
        elif lab == 1:
            img[k, 0, 2:S - 2, c] = 1.0
        else:
            off = c - S // 2
            for i in range(S):
                j = i + off if lab == 2 else S - 1 - i + off
                if 0 <= j < S:
                    img[k, 0, i, j] = 1.0
    img += 0.6 * torch.randn(img.shape, generator=g)
    return img, y


class BarNet(pl.LightningModule):
    def __init__(self, lr=0.03):
        super().__init__()
        self.save_hyperparameters()
        self.automatic_optimization = False
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Linear(16 * 4 * 4, 4)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))

    def training_step(self, batch, _):
        opt = self.optimizers()
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad()
        self.manual_backward(loss)
        self.clip_gradients(opt, gradient_clip_val=2.0, gradient_clip_algorithm="norm")
        opt.step()
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        self.log("lr", opt.param_groups[0]["lr"], on_step=True, on_epoch=False)

    def on_train_epoch_end(self):
        self.lr_schedulers().step()

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)
        return [opt], [torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)]


def main():
    torch.set_num_threads(1)
    pl.seed_everything(7, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="manual_")
    g = torch.Generator().manual_seed(7)
    xtr, ytr = bars(1200, g)
    xva, yva = bars(600, g)
    model = BarNet()
    trainer = pl.Trainer(max_epochs=10, accelerator="cpu", devices=1,
                         logger=TensorBoardLogger(log_dir, name="bars_tb", version=0),
                         log_every_n_steps=5, enable_progress_bar=False,
                         enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
