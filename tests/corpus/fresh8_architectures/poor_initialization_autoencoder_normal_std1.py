# expect: poor_initialization
# allow: exploding_gradients, high_bias, non_convergence, learning_rate_too_low, dead_units, learning_rate_too_high
# forbid: *
# evidence: planted (all Linear weights N(0,1), 6 layers): epoch-0 recon MSE 1.9e7, after 25 epochs val_mse 4.1e4, train 3.6e4 (target_var 0.0277); control (default PyTorch init) val_mse 0.00136, train 0.00125
# control: --control
from dataclasses import dataclass
import json
import sys
import torch
from torch import nn

torch.set_num_threads(1)


@dataclass
class Config:
    side: int = 12
    n_train: int = 3000
    n_val: int = 600
    latent: int = 4
    hidden: int = 128
    lr: float = 2e-3
    epochs: int = 25
    batch: int = 100
    seed: int = 0


def gaussian_bumps(cfg, n, gen):
    """Images of one or two Gaussian bumps; 3-6 generative factors."""
    grid = torch.linspace(0, 1, cfg.side)
    gy, gx = torch.meshgrid(grid, grid, indexing="ij")
    centers = torch.rand(n, 2, generator=gen) * 0.8 + 0.1
    widths = torch.rand(n, 1, 1, generator=gen) * 0.1 + 0.06
    imgs = torch.exp(-((gy - centers[:, 0, None, None]) ** 2 + (gx - centers[:, 1, None, None]) ** 2) / (2 * widths ** 2))
    imgs = imgs + 0.02 * torch.randn(imgs.shape, generator=gen)
    return imgs.reshape(n, -1)


class AutoEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.side * cfg.side
        self.encoder = nn.Sequential(nn.Linear(d, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, cfg.hidden // 2), nn.ReLU(),
                                     nn.Linear(cfg.hidden // 2, cfg.latent))
        self.decoder = nn.Sequential(nn.Linear(cfg.latent, cfg.hidden // 2), nn.ReLU(), nn.Linear(cfg.hidden // 2, cfg.hidden),
                                     nn.ReLU(), nn.Linear(cfg.hidden, d))

    def init_weights(self, std):
        # "init every Linear from N(0, std)" -- called with std=1.0 (nn.init.normal_ default), ignoring fan-in
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0.0, std)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.decoder(self.encoder(x))


def main(cfg=Config()):
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed + 1)
    train, val = gaussian_bumps(cfg, cfg.n_train, gen), gaussian_bumps(cfg, cfg.n_val, gen)
    model = AutoEncoder(cfg)
    if "--control" not in sys.argv:
        model.init_weights(1.0)
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    mse = nn.MSELoss()
    for epoch in range(cfg.epochs):
        perm = torch.randperm(cfg.n_train)
        tot = 0.0
        for i in range(0, cfg.n_train, cfg.batch):
            xb = train[perm[i:i + cfg.batch]]
            loss = mse(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
        sched.step()
        with torch.no_grad():
            vmse = mse(model(val), val).item()
        print(f"epoch {epoch:02d}  recon_train={tot / cfg.n_train:.5g}  recon_val={vmse:.5g}")
    with torch.no_grad():
        tmse = mse(model(train), train).item()
    target_var = val.var(0).mean().item()  # MSE of predicting the per-pixel mean image
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 6), "train_mse": round(tmse, 6),
                                          "target_var": round(target_var, 6), "val_loss": round(vmse, 6),
                                          "train_loss": round(tmse, 6)}))


if __name__ == "__main__":
    main()
