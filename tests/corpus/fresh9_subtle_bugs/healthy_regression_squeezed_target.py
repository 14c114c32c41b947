# expect:
# allow:
# forbid: *
# evidence: val_mse 1.65 (raw units) vs target_var 118.2 (R^2 0.986); train_loss 0.0048, val_loss 0.0142 in standardised units, val loss still at its minimum when cosine lr reaches 0
# Same kind of tabular regression, written carefully: the head output is squeezed to (N,)
# before F.mse_loss, targets are standardised, cosine schedule, long run.
import json
from dataclasses import dataclass
import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class Cfg:
    n_train: int = 3000
    n_val: int = 1000
    d: int = 10
    hidden: int = 96
    lr: float = 3e-3
    wd: float = 1e-4
    epochs: int = 35
    batch: int = 128
    seed: int = 7


def make(cfg):
    g = torch.Generator().manual_seed(cfg.seed)
    n = cfg.n_train + cfg.n_val
    X = torch.randn(n, cfg.d, generator=g)
    y = 3.0 * torch.tanh(X[:, 0] - X[:, 1]) + X[:, 2] ** 2 - 0.7 * X[:, 4] * X[:, 5] + 0.15 * torch.randn(n, generator=g)
    y = 20.0 + 4.0 * y  # raw units, e.g. a price
    return X[:cfg.n_train], y[:cfg.n_train], X[cfg.n_train:], y[cfg.n_train:]


def main(cfg=Cfg()):
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(1)
    Xtr, ytr, Xva, yva = make(cfg)
    mu, sd = ytr.mean(), ytr.std()
    net = nn.Sequential(nn.Linear(cfg.d, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, 1))
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.lr, weight_decay=cfg.wd)
    steps = cfg.epochs * (cfg.n_train // cfg.batch)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    for ep in range(cfg.epochs):
        perm = torch.randperm(cfg.n_train)
        losses = []
        for i in range(0, cfg.n_train - cfg.batch + 1, cfg.batch):
            b = perm[i:i + cfg.batch]
            pred = net(Xtr[b]).squeeze(-1)
            loss = F.mse_loss(pred, (ytr[b] - mu) / sd)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step(); sched.step()
            losses.append(loss.item())
        net.eval()
        with torch.no_grad():
            pv = net(Xva).squeeze(-1) * sd + mu
            val_mse = F.mse_loss(pv, yva).item()
            val_loss = F.mse_loss(net(Xva).squeeze(-1), (yva - mu) / sd).item()
        net.train()
        train_loss = sum(losses) / len(losses)
        if ep % 5 == 0 or ep == cfg.epochs - 1:
            print(f"ep {ep} train_loss(std units) {train_loss:.4f} val_loss {val_loss:.4f} val_mse(raw) {val_mse:.3f} lr {sched.get_last_lr()[0]:.2e}")
    print("CORPUS_METRIC " + json.dumps({"val_mse": val_mse, "target_var": yva.var().item(), "val_loss": val_loss, "train_loss": train_loss}))


if __name__ == "__main__":
    main()
