# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (pred (N,1) vs target (N,) -> N x N MSE) loss flat at 1.687 from epoch 0, val_mse 1.687 vs target_var 1.728; control (target.unsqueeze(1)) val_mse 0.017, train_mse 0.014
# control: --control
# Regression where the network outputs (N, 1) but the target is (N,). nn.MSELoss broadcasts
# the pair to (N, N) (PyTorch only warns), so the model is trained to predict every target
# in the batch from every input: the optimum is the batch mean and it ignores its input.
import argparse, json, warnings
import torch
import torch.nn as nn

warnings.filterwarnings("ignore")  # the author silenced the broadcasting UserWarning
p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
p.add_argument("--epochs", type=int, default=40)
args = p.parse_args()

torch.manual_seed(0)
torch.set_num_threads(1)


class Regressor(nn.Module):
    def __init__(self, d_in):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d_in, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU())
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.body(x))


def target_fn(x):
    return torch.sin(x[:, 0] * 1.5) + 0.5 * x[:, 1] * x[:, 2] + x[:, 3]


X = torch.randn(4000, 8)
y = target_fn(X) + 0.1 * torch.randn(4000)
Xtr, ytr, Xva, yva = X[:3000], y[:3000], X[3000:], y[3000:]

model = Regressor(8)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.MSELoss()

for epoch in range(args.epochs):
    perm = torch.randperm(3000)
    acc = 0.0
    for i in range(0, 3000, 100):
        idx = perm[i:i + 100]
        pred = model(Xtr[idx])
        target = ytr[idx].unsqueeze(1) if args.control else ytr[idx]
        loss = loss_fn(pred, target)
        opt.zero_grad(); loss.backward(); opt.step()
        acc += loss.item()
    train_loss = acc / 30
    with torch.no_grad():
        val_mse = ((model(Xva).squeeze(1) - yva) ** 2).mean().item()
        train_mse = ((model(Xtr).squeeze(1) - ytr) ** 2).mean().item()
    if epoch % 5 == 0 or epoch == args.epochs - 1:
        print(f"epoch {epoch:3d} loss {train_loss:.4f} train_mse {train_mse:.4f} val_mse {val_mse:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": val_mse, "train_mse": train_mse, "train_loss": train_loss, "target_var": yva.var().item()}))
