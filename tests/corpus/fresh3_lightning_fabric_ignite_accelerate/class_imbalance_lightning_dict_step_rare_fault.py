# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: planted (unweighted CE, 2.6% faults) val_balanced_acc 0.50, fault recall 0.00 (val_acc 0.974 = all-normal); control (inverse-frequency class weights) val_balanced_acc 0.762, fault recall 0.667
# control: --control
# native-log: faults/version_0/metrics.csv
# log-expect:
# log-allow: class_imbalance
"""Machine-fault detection from 20 sensor summary features: 2.5% of the windows are faults (class
1), and the fault signature is a moderate shift along a few directions that overlaps the normal
operating cloud. The LightningModule's training_step returns a dict ({"loss", "preds", "target"})
and the epoch hooks aggregate them. Plain unweighted cross-entropy on the raw 2.5% prior: the
model learns that predicting "normal" is right 97.5% of the time, and fault recall stays near 0
while accuracy looks excellent. Held-out metric: balanced accuracy / fault recall.
--control: the same model trained with class weights inversely proportional to class frequency
(the only change).
"""
import argparse
import json
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

import pytorch_lightning as pl
from pytorch_lightning.loggers import CSVLogger

warnings.filterwarnings("ignore")
D = 20


def make(n, g, shift):
    y = (torch.rand(n, generator=g) < 0.025).long()
    x = torch.randn(n, D, generator=g)
    x = x + y[:, None].float() * shift
    return x, y


def balanced(pred, y):
    rec = [((pred == c) & (y == c)).sum().item() / max(1, (y == c).sum().item()) for c in (0, 1)]
    return sum(rec) / 2, rec[1]


class FaultNet(pl.LightningModule):
    def __init__(self, class_weight=None):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 2))
        self.register_buffer("w", torch.tensor(class_weight) if class_weight else torch.ones(2))
        self._out = []

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y, weight=self.w)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        out = {"loss": loss, "preds": logits.argmax(1).detach(), "target": y}
        self._out.append(out)
        return out

    def on_train_epoch_end(self):
        p = torch.cat([o["preds"] for o in self._out])
        t = torch.cat([o["target"] for o in self._out])
        self._out.clear()
        self.log("train_acc", (p == t).float().mean())
        self.log("train_balanced_acc", balanced(p, t)[0])

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        pred = logits.argmax(1)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (pred == y).float().mean())
        bal, rec1 = balanced(pred, y)
        self.log("val_balanced_acc", bal)
        self.log("val_fault_recall", rec1)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    pl.seed_everything(9, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fault_")
    g = torch.Generator().manual_seed(9)
    shift = torch.zeros(D)
    shift[:4] = torch.tensor([1.0, -0.9, 0.8, 0.7])
    xtr, ytr = make(4000, g, shift)
    xva, yva = make(3000, g, shift)
    cw = None
    if args.control:
        freq = torch.bincount(ytr, minlength=2).float() / len(ytr)
        cw = (0.5 / freq).tolist()
    model = FaultNet(cw)
    trainer = pl.Trainer(max_epochs=8, accelerator="cpu", devices=1,
                         logger=CSVLogger(log_dir, name="faults", version=0),
                         log_every_n_steps=10, enable_progress_bar=False,
                         enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=3000))
    model.eval()
    with torch.no_grad():
        lv = model(xva)
    pred = lv.argmax(1)
    bal, rec1 = balanced(pred, yva)
    print("CORPUS_METRIC " + json.dumps({
        "val_balanced_acc": round(bal, 4),
        "val_minority_recall": round(rec1, 4),
        "val_acc": round((pred == yva).float().mean().item(), 4),
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "minority_frac": round(yva.float().mean().item(), 4),
        "chance_balanced_acc": 0.5,
    }))


if __name__ == "__main__":
    main()
