# expect: non_finite
# allow: exploding_gradients, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted (exp head + MSE on raw counts) step losses 1.24e4, 9348, 6490, inf, nan -> NaN from step 4 on (37/40 steps non-finite in epoch 0); control (linear head, same SGD) val_mse 163 vs target_var 3306, train_mse 225
# control: --control
# Count regression (bike rentals per hour, 0..~300). To "keep predictions positive" the head
# returns torch.exp(linear(h)) and the loss is plain MSE on raw counts. The gradient through
# exp is (pred - y) * pred, so one overshoot makes the next prediction exp(large): inf, then NaN.
# Optimiser: SGD lr=1e-3, momentum 0.9. Control: the same network with a plain linear output (no exp).
import sys, json
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
USE_EXP = "--control" not in sys.argv


class RentalNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.h = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.o = nn.Linear(64, 1)

    def forward(self, x):
        z = self.o(self.h(x)).squeeze(-1)
        return torch.exp(z) if USE_EXP else z


g = torch.Generator().manual_seed(3)
X = torch.randn(5000, 6, generator=g)
hour = torch.sigmoid(2 * X[:, 0])
rate = 20 + 250 * hour * torch.sigmoid(X[:, 1] + X[:, 2]) + 30 * torch.relu(X[:, 3])
y = torch.poisson(rate, generator=g)
Xtr, ytr, Xva, yva = X[:4000], y[:4000], X[4000:], y[4000:]

net = RentalNet()
opt = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9)
mse = nn.MSELoss()
for epoch in range(15):
    perm = torch.randperm(4000); tot = 0.0; nonfinite = 0
    for i in range(0, 4000, 100):
        b = perm[i:i + 100]
        loss = mse(net(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() / 40; nonfinite += int(not torch.isfinite(loss))
        if epoch == 0 and i < 500:
            print(f"  step {i // 100} loss {loss.item():.4g}")
    with torch.no_grad():
        val_mse = mse(net(Xva), yva).item()
    print(f"epoch {epoch:2d} train_mse {tot:.2f} val_mse {val_mse:.2f} non_finite_steps {nonfinite}")

print("CORPUS_METRIC " + json.dumps({"val_mse": val_mse, "target_var": yva.var().item(), "train_loss": tot}))
