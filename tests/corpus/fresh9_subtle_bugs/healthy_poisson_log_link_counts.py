# expect:
# allow:
# forbid: *
# evidence: val_mse 105 vs target_var 3306 (Poisson noise alone ~130), val_nll 3.65, train_nll 3.68 after 20 epochs
# Count regression done the GLM way: the network outputs the LOG-rate and the loss is
# nn.PoissonNLLLoss(log_input=True), which uses exp() internally in a numerically safe form.
# Output bias initialised at log(mean count).
import json
import math
import torch
import torch.nn as nn


def build_data(seed=3):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(5000, 6, generator=g)
    rate = 20 + 250 * torch.sigmoid(2 * X[:, 0]) * torch.sigmoid(X[:, 1] + X[:, 2]) + 30 * torch.relu(X[:, 3])
    return X, torch.poisson(rate, generator=g)


class LogRateNet(nn.Module):
    def __init__(self, mean_count):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh())
        self.head = nn.Linear(64, 1)
        nn.init.constant_(self.head.bias, math.log(mean_count))

    def forward(self, x):
        return self.head(self.body(x)).squeeze(-1)   # log rate


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    X, y = build_data()
    Xtr, ytr, Xva, yva = X[:4000], y[:4000], X[4000:], y[4000:]
    model = LogRateNet(ytr.mean().item())
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    nll = nn.PoissonNLLLoss(log_input=True, full=True)
    for epoch in range(20):
        model.train()
        perm = torch.randperm(4000); tot = 0.0
        for i in range(0, 4000, 100):
            b = perm[i:i + 100]
            loss = nll(model(Xtr[b]), ytr[b])
            optimizer.zero_grad(); loss.backward(); optimizer.step()
            tot += loss.item() / 40
        model.eval()
        with torch.no_grad():
            log_rate = model(Xva)
            val_loss = nll(log_rate, yva).item()
            val_mse = ((log_rate.exp() - yva) ** 2).mean().item()
        if epoch % 4 == 0 or epoch == 19:
            print(f"epoch {epoch:2d} train_nll {tot:.4f} val_nll {val_loss:.4f} val_mse {val_mse:.1f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "train_loss": tot, "val_mse": val_mse, "target_var": yva.var().item()}))


if __name__ == "__main__":
    main()
