# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low
# forbid: *
# evidence: planted (10 sigmoid layers): |grad| first/last layer = 2.4e-06, val_acc 0.27, loss stuck at ln4=1.39; control (ReLU + He init): ratio 0.47, val_acc 0.967, val_loss 0.112
# control: --control
# native-log: csv/version_0/metrics.csv
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
"""Lightning: a 10-hidden-layer MLP with sigmoid activations (Xavier init), SGD + momentum.
The gradient reaching the first layers is orders of magnitude smaller than at the head, so the
deep stack barely learns. --control: the same network with ReLU activations (He init)."""
import os
import sys
import json
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
pl.seed_everything(8, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="vg_")
CONTROL = "--control" in sys.argv
D, C, H, DEPTH = 16, 4, 64, 10

g = torch.Generator().manual_seed(3)
centers = torch.randn(C, D, generator=g) * 1.2


def sample(n):
    y = torch.randint(0, C, (n,), generator=g)
    x = centers[y] + torch.randn(n, D, generator=g)
    return x, y


Xtr, Ytr = sample(1600)
Xva, Yva = sample(600)


class DeepNet(pl.LightningModule):
    def __init__(self, act):
        super().__init__()
        layers, d = [], D
        for _ in range(DEPTH):
            layers += [nn.Linear(d, H), nn.ReLU() if act == "relu" else nn.Sigmoid()]
            d = H
        layers.append(nn.Linear(H, C))
        self.net = nn.Sequential(*layers)
        for m in self.net:
            if isinstance(m, nn.Linear):  # the textbook init for each activation
                if act == "relu":
                    nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                else:
                    nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        self.grad_first, self.grad_last = [], []

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, i):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def on_after_backward(self):
        self.grad_first.append(self.net[0].weight.grad.norm().item())
        self.grad_last.append(self.net[-1].weight.grad.norm().item())

    def validation_step(self, batch, i):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01, momentum=0.9)


def main():
    model = DeepNet("relu" if CONTROL else "sigmoid")
    trainer = pl.Trainer(
        max_epochs=5, accelerator="cpu", devices=1,
        logger=CSVLogger(LOG_DIR, name="csv", version=0),
        log_every_n_steps=5, enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
    )
    trainer.fit(model, DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(Xva, Yva), batch_size=600))
    model.eval()
    with torch.no_grad():
        lv, lt = model(Xva), model(Xtr)
    k = 20
    ratio = (sum(model.grad_first[:k]) / k) / (sum(model.grad_last[:k]) / k)
    print(f"probe: mean |grad| first layer / last layer over first {k} steps = {ratio:.2e}")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, Yva).item(), 4),
        "val_acc": round((lv.argmax(1) == Yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, Ytr).item(), 4),
        "grad_ratio_first_last": float(f"{ratio:.3e}"), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
