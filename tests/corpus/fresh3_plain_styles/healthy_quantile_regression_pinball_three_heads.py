# expect:
# allow:
# forbid: *
# evidence: held-out pinball 0.0787 vs constant-quantile baseline 0.233; 10-90% band covers 79.5% of val points (target 80%); median vs noise-free f MSE 0.0056 (target var 0.865)
"""Heteroscedastic regression: one network with three outputs predicts the 10%, 50% and 90%
quantiles, trained with the pinball (quantile) loss and Adam (lr 3e-3). The pinball loss has
an irreducible floor set by the noise, so the training loss levels off well above zero.
Evaluated by held-out pinball loss, the empirical coverage of the 10-90% band (target 0.80) and
the MSE of the median against the noise-free function.
"""
import json

import torch
from torch import nn

QS = torch.tensor([0.1, 0.5, 0.9])


def make_data(n, g):
    x = torch.rand(n, 3, generator=g) * 4 - 2
    f = torch.sin(2 * x[:, 0]) + 0.5 * x[:, 1]
    scale = 0.1 + 0.4 * (x[:, 2] + 2) / 4
    y = f + scale * torch.randn(n, generator=g)
    return x, y, f


def pinball(pred, y):
    d = y[:, None] - pred
    return torch.maximum(QS * d, (QS - 1) * d).mean()


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr, _ = make_data(4000, g)
    xva, yva, fva = make_data(1500, g)
    model = nn.Sequential(nn.Linear(3, 96), nn.Tanh(), nn.Linear(96, 96), nn.Tanh(), nn.Linear(96, 3))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(20):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = pinball(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            vl = pinball(model(xva), yva).item()
        print(f"epoch {epoch} loss {loss.item():.4f} val_pinball {vl:.4f}")
    with torch.no_grad():
        pv = model(xva)
        vl = pinball(pv, yva).item()
        tl = pinball(model(xtr), ytr).item()
        cover = ((yva >= pv[:, 0]) & (yva <= pv[:, 2])).float().mean().item()
        med_mse = ((pv[:, 1] - fva) ** 2).mean().item()
        const = pinball(torch.quantile(ytr, QS).expand(len(yva), 3), yva).item()
    print("CORPUS_METRIC " + json.dumps({
        "val_pinball": round(vl, 4), "train_pinball": round(tl, 4),
        "const_quantile_baseline_pinball": round(const, 4),
        "val_coverage_10_90": round(cover, 4), "median_vs_true_f_mse": round(med_mse, 4),
        "target_var": round(yva.var().item(), 4),
    }))


if __name__ == "__main__":
    main()
