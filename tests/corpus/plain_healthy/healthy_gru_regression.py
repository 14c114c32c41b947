# expect:
# forbid: *
# evidence: val_mse 0.00057 vs target_var 0.20 (R^2 > 0.99); train mse (std units) 0.004
# GRU regression: read a noisy sine wave (random amplitude, frequency, phase) and predict its amplitude.
import json
import math
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
T = 30
t = torch.arange(T).float()


def waves(n, g):
    amp = 0.5 + 1.5 * torch.rand(n, generator=g)
    freq = 0.3 + 0.5 * torch.rand(n, generator=g)
    phase = 2 * math.pi * torch.rand(n, generator=g)
    x = amp[:, None] * torch.sin(freq[:, None] * t[None] + phase[:, None]) + 0.05 * torch.randn(n, T, generator=g)
    return x.unsqueeze(-1), amp.unsqueeze(-1)


g = torch.Generator().manual_seed(8)
Xtr, Ytr = waves(2000, g)
Xva, Yva = waves(500, g)
y_mu, y_sd = Ytr.mean(), Ytr.std()


class AmpRegressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Sequential(nn.Linear(32, 32), nn.GELU(), nn.Linear(32, 1))

    def forward(self, x):
        seq, _ = self.rnn(x)
        return self.head(seq[:, -1])


model = AmpRegressor()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
mse = nn.MSELoss()

for epoch in range(10):
    model.train()
    perm = torch.randperm(len(Xtr))
    run = []
    for i in range(0, len(Xtr), 50):
        b = perm[i:i + 50]
        loss = mse(model(Xtr[b]), (Ytr[b] - y_mu) / y_sd)
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.append(loss.item())
    model.eval()
    with torch.no_grad():
        pred = model(Xva) * y_sd + y_mu
        val_mse = ((pred - Yva) ** 2).mean().item()
    print(f"epoch {epoch + 1:2d} train_mse(std units) {sum(run) / len(run):.4f} val_mse {val_mse:.5f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 5), "target_var": round(Yva.var().item(), 4),
                                      "train_loss": round(sum(run) / len(run), 4)}))
