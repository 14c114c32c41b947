# expect: learning_rate_too_high
# allow: non_convergence, dead_units, exploding_gradients, high_bias
# forbid: *
# evidence: control (Adam lr=1e-3) reaches val R2 0.986 (val_mse 0.023, target_var 1.67), train_rmse 0.10; planted (lr=0.2): train_rmse jumps around 0.22-0.74 epoch to epoch, ends val_mse 0.274, R2 0.836
# control: --control
# native-log: outputs/epoch_metrics.yaml
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias
"""Energy-consumption style regression (12 standardised features) with an MLP and Adam at lr=0.2.
A hydra-ish outputs/ folder gets a YAML list of per-epoch dicts (train_rmse, val_rmse, val_r2)."""
import json, os, sys, tempfile
from dataclasses import dataclass, asdict
import torch
import torch.nn as nn
import yaml


@dataclass
class Cfg:
    lr: float = 0.2
    epochs: int = 30
    batch_size: int = 32
    width: int = 64


cfg = Cfg(lr=1e-3) if "--control" in sys.argv else Cfg()
torch.manual_seed(90); torch.set_num_threads(1)

beta = torch.randn(12)
def make(n):
    x = torch.randn(n, 12)
    y = x @ beta / 3 + torch.tanh(x[:, 0] + x[:, 1]) + 0.3 * x[:, 2] * x[:, 3] + 0.1 * torch.randn(n)
    return x, y
xtr, ytr = make(2500); xva, yva = make(600)

net = nn.Sequential(nn.Linear(12, cfg.width), nn.ReLU(), nn.Linear(cfg.width, cfg.width), nn.ReLU(), nn.Linear(cfg.width, 1))
opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
outdir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "outputs")
os.makedirs(outdir, exist_ok=True)
with open(os.path.join(outdir, "config.yaml"), "w") as f:
    yaml.safe_dump(asdict(cfg), f)
log = []
for epoch in range(cfg.epochs):
    net.train()
    for b in torch.randperm(len(xtr)).split(cfg.batch_size):
        loss = nn.functional.mse_loss(net(xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    with torch.no_grad():
        tr = nn.functional.mse_loss(net(xtr).squeeze(1), ytr).item()
        va = nn.functional.mse_loss(net(xva).squeeze(1), yva).item()
    log.append({"epoch": epoch + 1, "train_rmse": round(tr ** 0.5, 5), "val_rmse": round(va ** 0.5, 5),
                "val_r2": round(1 - va / yva.var().item(), 5), "lr": cfg.lr})
    with open(os.path.join(outdir, "epoch_metrics.yaml"), "w") as f:
        yaml.safe_dump(log, f, sort_keys=False)
for r in log[::6] + log[-1:]:
    print(r)
print("CORPUS_METRIC " + json.dumps({"val_mse": va, "target_var": yva.var().item(), "val_loss": va, "train_loss": tr,
                                     "val_r2": 1 - va / yva.var().item()}))
