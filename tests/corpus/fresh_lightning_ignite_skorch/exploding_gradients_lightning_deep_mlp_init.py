# expect: exploding_gradients
# allow: poor_initialization, non_finite, non_convergence
# forbid: *
# evidence: planted (N(0,0.145^2) init, 10 ReLU layers) total grad norm 90 at step 0 (control ~4), 330-8000 by step 13, 4e6 at step 14, then inf/NaN; val_acc 0.324 (chance 0.333), val_loss nan. Control (He init, same SGD 0.02 m0.9) val_acc 0.999, val_loss 0.012
# control: --control
# native-log: deepmlp/version_0/metrics.csv
# log-expect: exploding_gradients
# log-allow: non_finite, non_convergence, learning_rate_too_high
"""Ten-layer plain ReLU MLP (no normalisation) for a 3-arm spiral embedded in 12 dims.

The hidden layers are initialised with a fixed N(0, 0.145^2) ("what the old TF code did"), which for
width 160 is ~1.5x the He scale per layer, so activations and gradients grow ~1.5x per layer.
--control uses He (kaiming_normal, fan_in) init; everything else is identical.
The total gradient norm is logged every step with lightning's grad_norm utility."""
import argparse
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.callbacks import EarlyStopping
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.utilities import grad_norm

torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="deepmlp_")
DEPTH, WIDTH, DIM = 10, 160, 12


def spiral(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    t = torch.rand(n, generator=g) * 2.5 + 0.3
    ang = t * 2.2 + y * (2 * math.pi / 3)
    pts = torch.stack([t * torch.cos(ang), t * torch.sin(ang)], 1) + 0.08 * torch.randn(n, 2, generator=g)
    proj = torch.randn(2, DIM, generator=torch.Generator().manual_seed(0)) / math.sqrt(2)
    return pts @ proj + 0.05 * torch.randn(n, DIM, generator=g), y


class SpiralData(L.LightningDataModule):
    def setup(self, stage=None):
        self.train_ds = TensorDataset(*spiral(1600, seed=1))
        self.val_ds = TensorDataset(*spiral(800, seed=2))

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=32, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=400)


class DeepMLP(L.LightningModule):
    def __init__(self, he_init=False, lr=0.02):
        super().__init__()
        self.save_hyperparameters()
        layers, d = [], DIM
        for _ in range(DEPTH):
            layers += [nn.Linear(d, WIDTH), nn.ReLU()]
            d = WIDTH
        layers.append(nn.Linear(d, 3))
        self.net = nn.Sequential(*layers)
        for m in self.net:
            if isinstance(m, nn.Linear):
                if he_init:
                    nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                else:
                    nn.init.normal_(m.weight, std=0.145)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True, prog_bar=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=True, on_epoch=True)
        return loss

    def on_before_optimizer_step(self, optimizer):
        norms = grad_norm(self, norm_type=2)
        self.log("grad_norm", norms["grad_2.0_norm_total"], on_step=True, on_epoch=False)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), prog_bar=True)

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.trainer.max_epochs)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="He init instead of N(0, 0.145^2)")
    args = ap.parse_args()
    L.seed_everything(3, verbose=False)

    dm = SpiralData()
    model = DeepMLP(he_init=args.control)
    trainer = L.Trainer(
        max_epochs=6,
        callbacks=[EarlyStopping(monitor="val_loss", patience=3, check_finite=True)],
        logger=CSVLogger(LOG_DIR, name="deepmlp", version=0),
        log_every_n_steps=1,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        accelerator="cpu",
        devices=1,
    )
    trainer.fit(model, datamodule=dm)

    model.eval()
    xv, yv = dm.val_ds.tensors
    with torch.no_grad():
        lv = model(xv)
        first_grad = None
    x, y = dm.train_ds.tensors
    model.zero_grad()
    F.cross_entropy(model(x[:256]), y[:256]).backward()
    first_grad = model.net[0].weight.grad.norm().item()
    val_loss = F.cross_entropy(lv, yv).item()
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(val_loss, 4) if math.isfinite(val_loss) else str(val_loss),
        "val_acc": round((lv.argmax(1) == yv).float().mean().item(), 4),
        "final_first_layer_grad_norm": round(first_grad, 4) if math.isfinite(first_grad) else str(first_grad),
        "chance_acc": 0.3333,
    }))


if __name__ == "__main__":
    main()
