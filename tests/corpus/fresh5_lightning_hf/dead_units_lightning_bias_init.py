"""Lightning MLP with a custom `reset_parameters` that was meant to set the biases to a small
positive constant ("+0.1 keeps ReLUs alive") but a sign slip sets them to -4.0. With
standardised inputs the pre-activations are ~N(-4, 0.6), so almost every ReLU never fires.
CSVLogger. A probe after training counts hidden units that are zero on the whole val set.

--control uses the intended +0.1 bias init.
"""
# expect: dead_units
# allow: non_convergence, poor_initialization, high_bias, vanishing_gradients
# forbid: *
# evidence: control (bias +0.1): dead fraction 0.01, val_acc 0.92, val_loss 0.18; planted (bias -4.0): dead fraction 1.0 (every hidden ReLU silent on val data), val_acc 0.23, val_loss 1.387 (chance 0.25)
# control: --control
# native-log: metrics.csv
# log-expect: non_convergence
# log-allow: high_bias
import argparse, json, os, tempfile, warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


class ReluNet(pl.LightningModule):
    def __init__(self, bias_init):
        super().__init__()
        self.fc1 = nn.Linear(20, 128)
        self.fc2 = nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, 64)
        self.out = nn.Linear(64, 4)
        for layer in (self.fc1, self.fc2, self.fc3):
            nn.init.constant_(layer.bias, bias_init)

    def hidden(self, x):
        h1 = F.relu(self.fc1(x))
        h2 = F.relu(self.fc2(h1))
        h3 = F.relu(self.fc3(h2))
        return h1, h2, h3

    def forward(self, x):
        return self.out(self.hidden(x)[-1])

    def training_step(self, batch, idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, idx):
        x, y = batch
        o = self(x)
        self.log("val_loss", F.cross_entropy(o, y))
        self.log("val_acc", (o.argmax(-1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.RMSprop(self.parameters(), lr=5e-4)
        return opt


def data(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 20, generator=g)
    s1 = x[:, :10].sum(1) / 3
    s2 = x[:, 10:15].sum(1) - x[:, 15:].sum(1) + 0.5 * x[:, 0] * x[:, 10]
    y = (s1 > 0).long() * 2 + (s2 > 0).long()
    return x, y


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    pl.seed_everything(4, verbose=False)
    xtr, ytr = data(3000, 0)
    xva, yva = data(1000, 1)
    net = ReluNet(bias_init=0.1 if args.control else -4.0)
    ld = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    tr = pl.Trainer(max_epochs=8, accelerator="cpu", logger=CSVLogger(ld, name="", version=""),
                    log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False,
                    enable_checkpointing=False)
    tr.fit(net, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
           DataLoader(TensorDataset(xva, yva), batch_size=500))
    net.eval()
    with torch.no_grad():
        hs = net.hidden(xva)
        dead = torch.cat([(h.max(0).values <= 0) for h in hs]).float().mean().item()
        ov, ot = net(xva), net(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(ov, yva).item(), 4), "val_acc": round((ov.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(ot, ytr).item(), 4), "chance_acc": 0.25, "dead_fraction": round(dead, 4)}))
