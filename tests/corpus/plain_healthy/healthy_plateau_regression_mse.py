# expect:
# forbid: *
# evidence: val_mse 0.012 vs target_var 1.37 (R^2 ~0.99; noise var 0.01); train/val mse (std units) 0.0072/0.0075; lr reduced by plateau scheduler
"""Regression on standardised tabular data (smooth nonlinear target + small noise), MSE loss,
Adam with ReduceLROnPlateau on the validation loss."""
import json
import torch
import torch.nn as nn


def make_data(n, gen):
    x = torch.randn(n, 8, generator=gen)
    y = torch.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] + 0.3 * x[:, 3] ** 2 - 0.8 * x[:, 4] + 0.1 * torch.randn(n, generator=gen)
    return x, y.unsqueeze(1)


def run():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(21)
    x_train, y_train = make_data(3000, gen)
    x_val, y_val = make_data(1000, gen)
    y_mean, y_std = y_train.mean(), y_train.std()
    y_train_s, y_val_s = (y_train - y_mean) / y_std, (y_val - y_mean) / y_std

    model = nn.Sequential(nn.Linear(8, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.3, patience=3)
    mse = nn.MSELoss()

    for epoch in range(40):
        model.train()
        perm = torch.randperm(3000)
        tr = 0.0
        for k in range(0, 3000, 100):
            b = perm[k:k + 100]
            loss = mse(model(x_train[b]), y_train_s[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tr += loss.item() / 30
        model.eval()
        with torch.no_grad():
            val = mse(model(x_val), y_val_s).item()
        plateau.step(val)
        print(f"epoch {epoch:02d} lr={opt.param_groups[0]['lr']:.1e} train_mse={tr:.4f} val_mse={val:.4f}")

    with torch.no_grad():
        pred = model(x_val) * y_std + y_mean
        val_mse = ((pred - y_val) ** 2).mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "target_var": round(y_val.var().item(), 4),
                                          "noise_var": 0.01, "val_loss": round(val, 4), "train_loss": round(tr, 4)}))


if __name__ == "__main__":
    run()
