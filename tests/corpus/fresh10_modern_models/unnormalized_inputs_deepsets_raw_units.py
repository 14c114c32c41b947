# expect: unnormalized_inputs
# allow: high_bias, non_convergence, exploding_gradients, dead_units
# forbid: *
# evidence: planted (raw units, no standardisation) val_mse 1.21 vs target variance 1.14 (R2 -0.06, no better than the mean), train_mse 1.05; control (standardised features) val_mse 0.0083, R2 0.99
# control: --control
"""DeepSets (phi MLP per element -> sum/max pooling -> rho MLP) regressing a permutation-invariant statistic of
variable-size point sets (8-24 points, 3 features); padding masks, Adam + step decay, early stopping.
Planted: the per-point features are fed in the sensor's raw units (one around 5000 +- 250, one around 0.01 +-
0.002, one around -300 +- 40): the feature-standardisation step was skipped. --control: standardised with the
training points' mean/std."""
import argparse, json
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class SetCfg:
    max_n: int = 24
    hidden: int = 64
    lr: float = 2e-3
    epochs: int = 30
    batch: int = 64
    standardize: bool = True
    seed: int = 0


# the sensor delivers raw units: position in mm around 5 m, a current in A, a temperature offset in 0.1 K
RAW_SCALE = np.array([250.0, 0.002, 40.0]); RAW_OFFSET = np.array([5000.0, 0.01, -300.0])


def make_sets(n, max_n, rng):
    X = np.zeros((n, max_n, 3), np.float32); M = np.zeros((n, max_n), np.float32); y = np.zeros(n, np.float32)
    for i in range(n):
        k = rng.integers(8, max_n + 1)
        z = rng.normal(size=(k, 3))
        y[i] = z[:, 0].max() + 2.0 * np.mean(z[:, 1] * z[:, 2]) + 0.5 * np.mean(np.abs(z[:, 2]))
        X[i, :k] = z * RAW_SCALE + RAW_OFFSET
        M[i, :k] = 1
    return torch.tensor(X), torch.tensor(M), torch.tensor(y)


class DeepSets(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.phi = nn.Sequential(nn.Linear(3, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, h))
        self.rho = nn.Sequential(nn.Linear(2 * h, h), nn.ReLU(), nn.Linear(h, 1))

    def forward(self, x, mask):
        e = self.phi(x)
        s = (e * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        m = e.masked_fill(mask[..., None] == 0, -1e9).max(1).values
        return self.rho(torch.cat([s, m], 1)).squeeze(1)


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = SetCfg(standardize=a.control)
    torch.manual_seed(c.seed); rng = np.random.default_rng(c.seed)
    Xtr, Mtr, ytr = make_sets(2000, c.max_n, rng); Xva, Mva, yva = make_sets(500, c.max_n, rng)
    if c.standardize:
        pts = Xtr[Mtr > 0]
        mu, sd = pts.mean(0), pts.std(0)
        Xtr = (Xtr - mu) / sd * Mtr[..., None]; Xva = (Xva - mu) / sd * Mva[..., None]
    ym, ys = ytr.mean(), ytr.std()
    model = DeepSets(c.hidden)
    opt = torch.optim.Adam(model.parameters(), lr=c.lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=12, gamma=0.3)
    best, best_state, bad = 1e9, None, 0
    for ep in range(c.epochs):
        model.train(); perm = torch.randperm(len(ytr)); tot = 0.0
        for i in range(0, len(perm), c.batch):
            idx = perm[i:i + c.batch]
            loss = F.mse_loss(model(Xtr[idx], Mtr[idx]), (ytr[idx] - ym) / ys)
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
        sched.step()
        model.eval()
        with torch.no_grad():
            vl = F.mse_loss(model(Xva, Mva), (yva - ym) / ys).item()
        if vl < best - 1e-4:
            best, bad, best_state = vl, 0, {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
        if ep % 5 == 4:
            print(f"epoch {ep+1} train_mse {tot/len(ytr):.4f} val_mse {vl:.4f}")
        if bad >= 8:
            print(f"early stop at epoch {ep+1}"); break
    model.load_state_dict(best_state); model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva, Mva), (yva - ym) / ys).item(); tl = F.mse_loss(model(Xtr, Mtr), (ytr - ym) / ys).item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(((yva - ym) / ys).var().item(), 4),
                                         "val_r2": round(1 - vl / ((yva - ym) / ys).var().item(), 4)}))


if __name__ == "__main__":
    main()
