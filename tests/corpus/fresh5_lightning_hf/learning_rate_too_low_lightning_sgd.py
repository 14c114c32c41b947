"""Lightning MLP on a 5-class tabular task. The config meant lr=1e-2 for SGD(momentum) but the
value was typed as 1e-6 ("1e-2" -> "1e-6" when copying from an Adam config that had been
divided by 100 twice). CSVLogger.

--control restores lr=1e-2.
"""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=1e-2) reaches val_acc 0.996 / val_loss 0.014; planted (lr=1e-6) ends at val_acc 0.22, val_loss 1.60, train_loss 1.60 (chance 0.2, ln5=1.61)
# control: --control
# native-log: metrics.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
import argparse, json, os, tempfile, warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
args = parser.parse_args()
LR = 1e-2 if args.control else 1e-6


def dataset(n, seed):
    g = torch.Generator().manual_seed(seed)
    proto = torch.randn(5, 16, generator=torch.Generator().manual_seed(99)) * 1.2
    y = torch.randint(0, 5, (n,), generator=g)
    x = proto[y] + torch.randn(n, 16, generator=g)
    x = torch.tanh(x) * 2 + 0.2 * torch.randn(n, 16, generator=g)
    return x, y


class Net(pl.LightningModule):
    def __init__(self, lr):
        super().__init__()
        self.lr = lr
        self.layers = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 5))

    def forward(self, x):
        return self.layers(x)

    def training_step(self, batch, idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, idx):
        x, y = batch
        out = self(x)
        self.log("val_loss", F.cross_entropy(out, y))
        self.log("val_acc", (out.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr, momentum=0.9)


pl.seed_everything(0, verbose=False)
xtr, ytr = dataset(2000, 1)
xva, yva = dataset(800, 2)
model = Net(LR)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
trainer = pl.Trainer(max_epochs=10, accelerator="cpu", logger=CSVLogger(log_dir, name="", version=""),
                     log_every_n_steps=5, enable_progress_bar=False, enable_model_summary=False,
                     enable_checkpointing=False)
trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
            DataLoader(TensorDataset(xva, yva), batch_size=400))
model.eval()
with torch.no_grad():
    ov, ot = model(xva), model(xtr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(F.cross_entropy(ov, yva).item(), 4),
                                     "val_acc": round((ov.argmax(1) == yva).float().mean().item(), 4),
                                     "train_loss": round(F.cross_entropy(ot, ytr).item(), 4),
                                     "chance_acc": 0.2}))
