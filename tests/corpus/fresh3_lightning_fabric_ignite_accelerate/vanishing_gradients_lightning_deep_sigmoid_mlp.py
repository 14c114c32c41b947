# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low
# forbid: *
# evidence: planted (sigmoid) val_acc 0.320, val_loss 1.104 (majority 0.342), mean first-layer grad norm 1.9e-6 vs 0.15 at the last hidden layer; control (ReLU) val_acc 0.879, val_loss 0.296, grad norms 0.66 / 0.48
# control: --control
# native-log: deep/version_0/metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low
"""A 'deeper is better' tabular classifier: 10 hidden layers of width 64 with *sigmoid* activations
(a port of an old network), He-normal init (the codebase's default for every Linear), SGD+momentum.
The sigmoid derivative is at most 0.25, so the backward signal shrinks ~3x per layer and the first
layers get gradients ~4-5 orders of magnitude smaller than the last; the net barely leaves chance.
A probe (on_after_backward) records the gradient norm of the first and last Linear layer.
--control swaps the activation to ReLU (same depth, init, optimiser, lr and data).
Task: 3-class 'concentric shells' in 10-D (class = which radius band a point lies in).
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
D = 10


def shells(n, g):
    x = torch.randn(n, D, generator=g)
    r = x.norm(dim=1)
    y = (r > 2.8).long() + (r > 3.4).long()
    return x, y


class DeepNet(pl.LightningModule):
    def __init__(self, act="sigmoid", depth=10, width=64):
        super().__init__()
        self.save_hyperparameters()
        Act = nn.Sigmoid if act == "sigmoid" else nn.ReLU
        layers, d = [], D
        for _ in range(depth):
            layers += [nn.Linear(d, width), Act()]
            d = width
        layers.append(nn.Linear(d, 3))
        self.net = nn.Sequential(*layers)
        for m in self.net:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
        self.first_grad, self.last_grad = [], []

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def on_after_backward(self):
        lin = [m for m in self.net if isinstance(m, nn.Linear)]
        self.first_grad.append(lin[0].weight.grad.norm().item())
        self.last_grad.append(lin[-2].weight.grad.norm().item())

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.02, momentum=0.9)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    pl.seed_everything(17, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="deep_")
    g = torch.Generator().manual_seed(17)
    xtr, ytr = shells(3000, g)
    xva, yva = shells(1000, g)
    model = DeepNet(act="relu" if args.control else "sigmoid")
    trainer = pl.Trainer(max_epochs=12, accelerator="cpu", devices=1,
                         logger=CSVLogger(log_dir, name="deep", version=0),
                         log_every_n_steps=10, enable_progress_bar=False,
                         enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=1000))
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    fg = sum(model.first_grad) / len(model.first_grad)
    lg = sum(model.last_grad) / len(model.last_grad)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "majority_acc": round(torch.bincount(yva).max().item() / len(yva), 4),
        "first_layer_grad_norm": float(f"{fg:.3g}"),
        "last_hidden_grad_norm": float(f"{lg:.3g}"),
        "chance_acc": 0.3333,
    }))


if __name__ == "__main__":
    main()
