# expect: unnormalized_inputs
# allow: high_bias, non_convergence, exploding_gradients, dead_units, learning_rate_too_high
# forbid: *
# evidence: planted (raw units) val_acc 0.338 (erratic 0.34-0.63 per epoch), val_loss 182; control (standardised) val_acc 0.871, val_loss 0.276 (majority 0.391)
# control: --control
# native-log: listings/version_0/metrics.csv
# log-expect:
# log-allow: unnormalized_inputs, high_bias, non_convergence, learning_rate_too_high, exploding_gradients
"""Real-estate listings -> price tier (3 classes: below / around / above the local median).
Features are fed in their raw units, straight from the table: living area (sq ft, ~1800),
lot size (sq ft, log-normal ~8000), year built (1900-2020), bedrooms (1-6), distance to the
centre (metres, 0-30000) and neighbourhood median income (dollars, 20k-150k). The tier depends on
all of them on standardised scales. With features spanning 1 to 1e5, the first layer is
dominated by the dollar/metre columns and the Adam-trained MLP (lr 1e-3, a sane value) stalls well
below what the data allows. --control standardises the columns with the training-set mean/std
(the only change). Fabric loop, CSV via lightning.fabric.loggers.CSVLogger.
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

from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger

warnings.filterwarnings("ignore")


def listings(n, g):
    area = 1800 + 600 * torch.randn(n, generator=g)
    lot = torch.exp(9.0 + 0.5 * torch.randn(n, generator=g))
    year = 1900 + 120 * torch.rand(n, generator=g)
    beds = torch.randint(1, 7, (n,), generator=g).float()
    dist = 30000 * torch.rand(n, generator=g) ** 1.5
    income = 20000 + 130000 * torch.rand(n, generator=g)
    x = torch.stack([area, lot, year, beds, dist, income], 1)
    z = (x - torch.tensor([1800, 9000, 1960, 3.5, 10000, 85000])) / \
        torch.tensor([600, 5000, 35, 1.7, 8000, 37000])
    score = 1.0 * z[:, 0] + 0.4 * z[:, 1] + 0.5 * z[:, 2] - 0.3 * z[:, 3] - 1.0 * torch.tanh(z[:, 4]) \
        + 0.9 * z[:, 5] + 0.5 * z[:, 0] * z[:, 5] + 0.3 * torch.randn(n, generator=g)
    y = (score > -0.6).long() + (score > 0.6).long()
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="house_")
    logger = CSVLogger(log_dir, name="listings", version=0)
    fabric = Fabric(accelerator="cpu", devices=1, loggers=logger)
    fabric.launch()
    fabric.seed_everything(12)
    g = torch.Generator().manual_seed(12)
    xtr, ytr = listings(2500, g)
    xva, yva = listings(1000, g)
    if args.control:
        mu, sd = xtr.mean(0), xtr.std(0)
        xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model, opt = fabric.setup(model, opt)
    dl = fabric.setup_dataloaders(DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True))
    step = 0
    for epoch in range(20):
        model.train()
        for x, y in dl:
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            fabric.backward(loss)
            opt.step()
            if step % 10 == 0:
                fabric.log_dict({"train_loss": loss.item(),
                                 "train_acc": (logits.argmax(1) == y).float().mean().item()}, step=step)
            step += 1
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        fabric.log_dict({"val_loss": F.cross_entropy(lv, yva).item(),
                         "val_acc": (lv.argmax(1) == yva).float().mean().item(), "epoch": epoch}, step=step)
    logger.finalize("success")
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "majority_acc": round(torch.bincount(yva).max().item() / len(yva), 4),
        "chance_acc": 0.3333,
    }))


if __name__ == "__main__":
    main()
