"""LightningDataModule for a heating-power regression in physical units (outdoor degC, m2, W/m2K, kW target),
standardised in setup() from training statistics only. Trainer(precision="bf16-mixed", accumulate_grad_batches=4,
gradient_clip_val=1.0, val_check_interval=0.25, max_steps=...) with two validation dataloaders
(val_loss/dataloader_idx_0 = random hold-out, .../dataloader_idx_1 = a second building batch), CSVLogger."""
# expect:
# allow:
# forbid: *
# evidence: standardised target (var 1.0): val_mse 0.0045, second-building loader val2_mse 0.0043, train_mse 0.0045 (R2 ~0.995, no gap); bf16-mixed autocast on CPU works
# native-log: csv/version_0/metrics.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings, logging
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
warnings.filterwarnings("ignore")
for n in ("lightning", "lightning.pytorch"):
    logging.getLogger(n).setLevel(logging.ERROR)
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()


def make_buildings(n, rng):
    t_out = rng.uniform(-15, 20, n)            # degC
    area = rng.uniform(60, 400, n)             # m2
    u = rng.uniform(0.2, 1.6, n)               # W/m2K
    solar = rng.uniform(0, 600, n)             # W/m2
    occ = rng.integers(0, 8, n).astype(float)  # people
    kw = u * area * (21 - t_out) / 1000 * 2.2 - 0.004 * solar * area / 100 - 0.08 * occ + rng.normal(0, 0.3, n)
    return np.stack([t_out, area, u, solar, occ], 1), kw


class HeatDM(pl.LightningDataModule):
    def setup(self, stage=None):
        rng = np.random.default_rng(0)
        X, y = make_buildings(3000, rng)
        X2, y2 = make_buildings(400, rng)
        self.mu, self.sd = X[:2400].mean(0), X[:2400].std(0)
        self.ymu, self.ysd = y[:2400].mean(), y[:2400].std()
        f = lambda a: torch.tensor((a - self.mu) / self.sd, dtype=torch.float32)
        g = lambda a: torch.tensor((a - self.ymu) / self.ysd, dtype=torch.float32).unsqueeze(1)
        self.tr = torch.utils.data.TensorDataset(f(X[:2400]), g(y[:2400]))
        self.va = torch.utils.data.TensorDataset(f(X[2400:]), g(y[2400:]))
        self.va2 = torch.utils.data.TensorDataset(f(X2), g(y2))

    def train_dataloader(self):
        return torch.utils.data.DataLoader(self.tr, batch_size=16, shuffle=True)

    def val_dataloader(self):
        return [torch.utils.data.DataLoader(self.va, batch_size=200), torch.utils.data.DataLoader(self.va2, batch_size=200)]


class Reg(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(5, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, b, i):
        loss = F.mse_loss(self(b[0]).float(), b[1])
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, b, i, dataloader_idx=0):
        self.log("val_loss", F.mse_loss(self(b[0]).float(), b[1]))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        sch = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=300, pct_start=0.2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sch, "interval": "step"}}


dm = HeatDM(); model = Reg()
trainer = pl.Trainer(max_steps=300, accelerator="cpu", devices=1, precision="bf16-mixed", accumulate_grad_batches=4,
                     gradient_clip_val=1.0, val_check_interval=0.25, logger=CSVLogger(LOG_DIR, name="csv", version=0),
                     enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                     num_sanity_val_steps=0, log_every_n_steps=10, callbacks=[pl.callbacks.LearningRateMonitor("step")])
trainer.fit(model, dm)
model.eval()
with torch.no_grad():
    m = lambda ds: F.mse_loss(model(ds.tensors[0]), ds.tensors[1]).item()
    res = {"val_mse": round(m(dm.va), 4), "val2_mse": round(m(dm.va2), 4), "train_mse": round(m(dm.tr), 4),
           "target_var": round(dm.va.tensors[1].var().item(), 4)}
print("CORPUS_METRIC " + json.dumps(res))
