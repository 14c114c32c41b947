# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: identity link: batch loss NaN first at epoch 0 step 23, train and val Poisson NLL NaN at every epoch end (10/10). Control (log link): val NLL 0.554 vs intercept-only 0.582, train 0.539, all finite
# control: --control
# Insurance claim-frequency model (counts per policy-year), 7 standardised rating factors.
# Planted: PoissonNLLLoss(log_input=False) on an unconstrained Linear output (identity link): as
# soon as any predicted rate goes negative, log(rate + 1e-8) is NaN and the batch loss (and every
# epoch's train/val loss) is NaN from then on. --control: treat the output as a log-rate (log_input=True), the usual log link.
import argparse
import json
import math
import torch
import torch.nn as nn


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--control", action="store_true")
    p.add_argument("--epochs", type=int, default=10)
    return p.parse_args()


def claims_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 7, generator=g)
    beta = torch.tensor([0.35, -0.25, 0.2, 0.0, 0.15, -0.3, 0.1])
    exposure_rate = torch.exp(-1.6 + X @ beta + 0.3 * torch.tanh(X[:, 0] * X[:, 1]))
    return X, torch.poisson(exposure_rate, generator=g)


class FreqNet(nn.Module):
    def __init__(self, log_link, mean_count):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(7, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
        self.head = nn.Linear(32, 1)
        nn.init.constant_(self.head.bias, math.log(mean_count) if log_link else mean_count)

    def forward(self, x):
        return self.head(self.body(x)).squeeze(-1)


def main():
    args = get_args()
    torch.manual_seed(1)
    torch.set_num_threads(1)
    X, y = claims_data(6000, 0)
    Xv, yv = claims_data(2000, 1)
    log_link = args.control
    model = FreqNet(log_link, y.mean().item())
    loss_fn = nn.PoissonNLLLoss(log_input=log_link)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    print(f"claim rate {y.mean():.3f}, zero share {(y == 0).float().mean():.3f}")
    first_nan = None
    for epoch in range(args.epochs):
        perm = torch.randperm(len(X))
        for step, i in enumerate(range(0, len(X), 128)):
            b = perm[i:i + 128]
            loss = loss_fn(model(X[b]), y[b])
            if first_nan is None and not torch.isfinite(loss):
                first_nan = (epoch, step)
                print(f"loss became {loss.item()} at epoch {epoch} step {step}")
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            vl = loss_fn(model(Xv), yv).item()
            tl = loss_fn(model(X), y).item()
        print(f"epoch {epoch}: train {tl:.4f} val {vl:.4f}")
    with torch.no_grad():
        out = model(Xv)
        mu = out.exp() if log_link else out
        null = nn.PoissonNLLLoss(log_input=False)(torch.full_like(yv, y.mean().item()), yv).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "train_loss": tl,
                                          "null_val_loss": round(null, 4),
                                          "nan_weights": int(sum((~torch.isfinite(p)).sum().item() for p in model.parameters())),
                                          "first_nan": first_nan}))


if __name__ == "__main__":
    main()
