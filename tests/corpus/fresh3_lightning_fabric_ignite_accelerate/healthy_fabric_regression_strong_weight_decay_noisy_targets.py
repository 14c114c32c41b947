# expect:
# allow:
# forbid: *
# evidence: val_mse 0.376 vs target variance 2.29 (R^2 0.84); train_mse 0.216, i.e. at the noise floor 0.25 rather than 0
# native-log: reg_wd/version_0/metrics.csv
# log-expect:
# log-allow:
"""Fabric regression loop on a small, noisy dataset (600 training rows, 30 standardised features of
which 6 matter, target noise variance 0.25): a wide MLP (2x256) that *would* overfit is kept in check
with strong decoupled weight decay (AdamW, weight_decay=1.0) and dropout 0.1. The training MSE
therefore stays at about the noise floor instead of going to 0, and validation MSE ends well below the target variance (~2.1) -- intended regularisation, not under-fitting. Per-epoch CSV via Fabric's
CSVLogger.
"""
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
D = 12


def make(n, g):
    x = torch.randn(n, D, generator=g)
    f = 1.2 * torch.sin(x[:, 0]) + 0.8 * x[:, 1] ** 2 * 0.5 + x[:, 2] * x[:, 3] * 0.7 \
        + torch.relu(x[:, 4]) - 0.6 * x[:, 5]
    return x, (f + 0.5 * torch.randn(n, generator=g))[:, None], f[:, None]


def main():
    torch.set_num_threads(1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="regwd_")
    logger = CSVLogger(log_dir, name="reg_wd", version=0)
    fabric = Fabric(accelerator="cpu", devices=1, loggers=[logger])
    fabric.launch()
    fabric.seed_everything(8)
    g = torch.Generator().manual_seed(8)
    xtr, ytr, _ = make(1200, g)
    xva, yva, fva = make(1000, g)
    model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 128), nn.ReLU(),
                          nn.Dropout(0.1), nn.Linear(128, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1.0)
    model, opt = fabric.setup(model, opt)
    dl = fabric.setup_dataloaders(DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True))
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=25, gamma=0.3)
    for epoch in range(40):
        model.train()
        tot, n = 0.0, 0
        for x, y in dl:
            loss = F.mse_loss(model(x), y)
            opt.zero_grad()
            fabric.backward(loss)
            opt.step()
            tot += loss.item() * len(x)
            n += len(x)
        sched.step()
        model.eval()
        with torch.no_grad():
            vm = F.mse_loss(model(xva), yva).item()
        fabric.log_dict({"train_mse": tot / n, "val_mse": vm, "lr": opt.param_groups[0]["lr"]}, step=epoch)
    logger.finalize("success")
    model.eval()
    with torch.no_grad():
        pv, pt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(F.mse_loss(pv, yva).item(), 4),
        "train_mse": round(F.mse_loss(pt, ytr).item(), 4),
        "noise_var": 0.25,
        "target_var": round(yva.var().item(), 4),
        "r2": round(1 - F.mse_loss(pv, yva).item() / yva.var().item(), 4),
    }))


if __name__ == "__main__":
    main()
