"""Tanh MLP in Lightning whose init helper draws every weight from N(0, 1) -- copied from a
from-scratch numpy tutorial that used 4 inputs -- instead of Xavier. With 64..256 fan-in the
pre-activations have std ~8-16, so the hidden tanh units sit at +-1. CSVLogger. A probe
reports the fraction of hidden tanh outputs with |a| > 0.99 on val data.

--control uses Xavier-uniform init (gain 5/3) for the same network.
"""
# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, high_variance, overfitting
# forbid: *
# evidence: control (Xavier): saturated fraction 0.03, val_acc 0.87, val_loss 0.43; planted (N(0,1)): 81% of hidden tanh outputs |a|>0.99, val_acc 0.38, val_loss 6.5 (chance 0.33)
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias, high_variance, overfitting
import argparse, json, os, tempfile, warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
ARGS = p.parse_args()


def init_weights(module):
    if isinstance(module, nn.Linear):
        if ARGS.control:
            nn.init.xavier_uniform_(module.weight, gain=nn.init.calculate_gain("tanh"))
        else:
            nn.init.normal_(module.weight, 0.0, 1.0)
        nn.init.zeros_(module.bias)


class TanhNet(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(64, 256), nn.Linear(256, 256), nn.Linear(256, 128)])
        self.head = nn.Linear(128, 3)
        self.apply(init_weights)

    def activations(self, x):
        acts = []
        for lin in self.hidden:
            x = torch.tanh(lin(x))
            acts.append(x)
        return acts

    def forward(self, x):
        return self.head(self.activations(x)[-1])

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        o = self(x)
        self.log("val_loss", F.cross_entropy(o, y))
        self.log("val_acc", (o.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 64, generator=g)
    a = x[:, :8].sum(1) / 2.8
    b = (x[:, 8:16].sum(1) - x[:, 16:24].sum(1)) / 4 + 0.5 * x[:, 0] * x[:, 8]
    y = torch.where(a > 0.5, 0, torch.where(b > 0, 1, 2))
    return x, y


pl.seed_everything(0, verbose=False)
xtr, ytr = make(2500, 0)
xva, yva = make(800, 1)
model = TanhNet()
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
trainer = pl.Trainer(max_epochs=8, accelerator="cpu", logger=CSVLogger(logdir, name="", version=""),
                     log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False,
                     enable_checkpointing=False)
trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
            DataLoader(TensorDataset(xva, yva), batch_size=400))
model.eval()
with torch.no_grad():
    sat = torch.cat([(a.abs() > 0.99).float().flatten() for a in model.activations(xva)]).mean().item()
    ov, ot = model(xva), model(xtr)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(F.cross_entropy(ov, yva).item(), 4), "val_acc": round((ov.argmax(1) == yva).float().mean().item(), 4),
    "train_loss": round(F.cross_entropy(ot, ytr).item(), 4), "chance_acc": 0.3333, "saturated_fraction": round(sat, 4)}))
