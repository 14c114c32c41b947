"""Denoising autoencoder for 64-sample ECG-like beats, written as a Lightning
Fabric loop by someone who likes small dataclass configs.  Loss = MSE between
reconstruction of a noisy beat and the clean beat.  Fabric CSVLogger."""
# expect:
# allow:
# forbid: *
# evidence: val reconstruction mse 0.0077 vs 0.090 for returning the noisy input (signal variance 1.03); train mse 0.0066
# native-log: metrics.csv
# log-expect:
# log-allow:
import json
import os
import tempfile
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger

torch.set_num_threads(1)


@dataclass
class Config:
    n_train: int = 3000
    n_val: int = 500
    length: int = 64
    latent: int = 12
    noise: float = 0.3
    lr: float = 2e-3
    epochs: int = 12
    batch: int = 64
    seed: int = 77


def beats(n, L, rng):
    t = np.linspace(0, 1, L)
    hr = rng.uniform(0.8, 1.2, (n, 1))
    amp = rng.uniform(0.7, 1.3, (n, 1))
    p = 0.15 * np.exp(-((t - 0.2 * hr) ** 2) / 0.002)
    qrs = amp * (np.exp(-((t - 0.4 * hr) ** 2) / 0.0004) - 0.25 * np.exp(-((t - 0.37 * hr) ** 2) / 0.0003))
    tw = 0.3 * amp * np.exp(-((t - 0.7 * hr) ** 2) / 0.004)
    x = p + qrs + tw + rng.normal(0, 0.02, (n, 1))
    return x.astype(np.float32)


class DAE(nn.Module):
    def __init__(self, L, k):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(L, 128), nn.ReLU(), nn.Linear(128, k))
        self.dec = nn.Sequential(nn.Linear(k, 128), nn.ReLU(), nn.Linear(128, L))

    def forward(self, x):
        return self.dec(self.enc(x))


def run(cfg: Config):
    fabric = Fabric(accelerator="cpu", devices=1,
                    loggers=CSVLogger(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), name="", version=""))
    fabric.seed_everything(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    clean = beats(cfg.n_train + cfg.n_val, cfg.length, rng)
    clean = (clean - clean[:cfg.n_train].mean()) / clean[:cfg.n_train].std()
    noisy = clean + rng.normal(0, cfg.noise, clean.shape).astype(np.float32)
    tr = torch.utils.data.TensorDataset(torch.tensor(noisy[:cfg.n_train]), torch.tensor(clean[:cfg.n_train]))
    vx, vy = torch.tensor(noisy[cfg.n_train:]), torch.tensor(clean[cfg.n_train:])
    model = DAE(cfg.length, cfg.latent)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)
    model, opt = fabric.setup(model, opt)
    dl = fabric.setup_dataloaders(torch.utils.data.DataLoader(tr, batch_size=cfg.batch, shuffle=True))
    it = 0
    for ep in range(cfg.epochs):
        tot = 0.0
        for xb, yb in dl:
            loss = nn.functional.mse_loss(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            fabric.backward(loss)
            opt.step()
            tot += loss.item() * len(xb)
            it += 1
            if it % 10 == 0:
                fabric.log("train/mse_step", loss.item(), step=it)
        sched.step()
        with torch.no_grad():
            model.eval()
            v = nn.functional.mse_loss(model(vx), vy).item()
            model.train()
        fabric.log_dict({"train/mse": tot / cfg.n_train, "val/mse": v, "lr": sched.get_last_lr()[0], "epoch": ep}, step=it)
    fabric.logger.finalize("success")
    identity = nn.functional.mse_loss(vx, vy).item()
    return {"val_mse": round(v, 5), "train_mse": round(tot / cfg.n_train, 5), "identity_mse": round(identity, 4),
            "target_var": round(float(vy.var()), 4)}


if __name__ == "__main__":
    print("CORPUS_METRIC " + json.dumps(run(Config())))
