"""A wide MLP trained long enough with Adam to drive the training loss to ~0 on a clean
(noise-free) rule; validation stays good. LightningDataModule, CSVLogger, LearningRateMonitor,
ReduceLROnPlateau on val_loss.
"""
# expect:
# allow:
# forbid: *
# evidence: clean 3-class rule with margin; train_loss -> 0.003 (train_acc 1.0) while held-out val_acc 0.97 (chance 0.33), val_loss 0.07
# native-log: metrics.csv
# log-expect:
# log-allow:
import json, os, sys, tempfile, warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


def rule(x):
    # three classes by angle of a 2-d projection, with a margin enforced by rejection
    p = torch.stack([x[:, :3].sum(1), x[:, 3:6].sum(1) - 0.5 * x[:, 6]], 1)
    ang = torch.atan2(p[:, 1], p[:, 0])
    return ((ang + torch.pi) / (2 * torch.pi / 3)).long().clamp(max=2), p


class RuleData(pl.LightningDataModule):
    def setup(self, stage=None):
        g = torch.Generator().manual_seed(0)
        x = torch.randn(6000, 10, generator=g)
        y, p = rule(x)
        keep = p.norm(dim=1) > 0.8
        x, y = x[keep], y[keep]
        self.train = TensorDataset(x[:1500], y[:1500])
        self.val = TensorDataset(x[1500:2500], y[1500:2500])

    def train_dataloader(self):
        return DataLoader(self.train, batch_size=32, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val, batch_size=1000)


class Wide(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(10, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 3))

    def forward(self, x):
        return self.mlp(x)

    def training_step(self, b, i):
        loss = F.cross_entropy(self(b[0]), b[1])
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, b, i):
        out = self(b[0])
        self.log("val_loss", F.cross_entropy(out, b[1]))
        self.log("val_acc", (out.argmax(1) == b[1]).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=1e-3, weight_decay=1e-4)
        sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sch, "monitor": "val_loss"}}


pl.seed_everything(2, verbose=False)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
dm = RuleData()
net = Wide()
pl.Trainer(max_epochs=18, accelerator="cpu", logger=CSVLogger(logdir, name="", version=""),
           callbacks=[LearningRateMonitor()], enable_progress_bar=False, enable_model_summary=False,
           enable_checkpointing=False, log_every_n_steps=10).fit(net, dm)
net.eval()
with torch.no_grad():
    xt, yt = dm.train.tensors
    xv, yv = dm.val.tensors
    ot, ov = net(xt), net(xv)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(F.cross_entropy(ov, yv).item(), 4), "val_acc": round((ov.argmax(1) == yv).float().mean().item(), 4),
    "train_loss": round(F.cross_entropy(ot, yt).item(), 4), "train_acc": round((ot.argmax(1) == yt).float().mean().item(), 4),
    "chance_acc": 0.3333}))
