"""Heteroscedastic regression with a mean head and a log-variance head (GaussianNLL).

Look-alike: the Gaussian negative log-likelihood of a good model is NEGATIVE when
the predicted noise is small (log sigma < 0), so train/val "loss" fall through 0
and end around -1.3. A monitor that assumes losses are >= 0 (or that a loss below
zero means a bug / non-finite maths) would be fooled. Noise std varies 0.03-0.45
across the input space, so MSE alone has a floor too.
"""
# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0887 vs target variance 1.017 (R^2 0.913) and vs the noise floor 0.0881 (mean true noise variance); 90% interval coverage 0.890; losses are below 0 from epoch 0 and end at train -1.350 / val -1.274
# native-log: gnll/metrics.csv
# log-expect:
# log-allow:
import csv
import json
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
random.seed(9)
np.random.seed(9)
torch.manual_seed(9)


def make(n, rng):
    x = rng.uniform(-2, 2, size=(n, 4)).astype(np.float32)
    mean = np.sin(1.5 * x[:, 0]) + 0.5 * x[:, 1] * x[:, 2]
    std = 0.03 + 0.42 * (1 / (1 + np.exp(-3 * x[:, 3])))
    y = mean + std * rng.normal(size=n)
    return x, y.astype(np.float32), std


class HeteroNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU())
        self.mu = nn.Linear(128, 1)
        self.logvar = nn.Linear(128, 1)

    def forward(self, x):
        h = self.body(x)
        return self.mu(h).squeeze(1), self.logvar(h).squeeze(1).clamp(-10, 5)


def main():
    rng = np.random.default_rng(9)
    xtr, ytr, _ = make(4000, rng)
    xva, yva, std_va = make(1500, rng)
    Xtr, Ytr, Xva, Yva = map(torch.tensor, (xtr, ytr, xva, yva))
    model = HeteroNet()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
    nll = nn.GaussianNLLLoss()
    log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "gnll")
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "metrics.csv"), "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["epoch", "train_loss", "val_loss", "val_mse"])
        for ep in range(30):
            model.train()
            perm = torch.randperm(len(Xtr))
            tot, n = 0.0, 0
            for i in range(0, len(perm), 64):
                idx = perm[i:i + 64]
                mu, lv = model(Xtr[idx])
                loss = nll(mu, Ytr[idx], lv.exp())
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                n += len(idx)
            sched.step()
            model.eval()
            with torch.no_grad():
                mu, lv = model(Xva)
                vl = nll(mu, Yva, lv.exp()).item()
                mse = ((mu - Yva) ** 2).mean().item()
            wr.writerow([ep, round(tot / n, 5), round(vl, 5), round(mse, 5)])
            if ep % 3 == 2:
                print(f"epoch {ep} train_nll {tot / n:.4f} val_nll {vl:.4f} val_mse {mse:.4f}")
    sd = (0.5 * lv).exp()
    coverage = ((Yva - mu).abs() < 1.645 * sd).float().mean().item()
    var_y = float(yva.var())
    floor = float((std_va ** 2).mean())
    print(f"target variance {var_y:.4f} noise floor {floor:.4f} R2 {1 - mse / var_y:.4f} coverage90 {coverage:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse, 5), "target_var": round(var_y, 4), "val_loss": round(vl, 4),
                                        "train_loss": round(tot / n, 4), "noise_floor_mse": round(floor, 4),
                                        "coverage90": round(coverage, 4)}))


if __name__ == "__main__":
    main()
