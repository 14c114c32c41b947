# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: lr 1e-6: val MSE 1.090 -> 1.086 over 8 epochs (target var 1.08, persistence baseline 0.0225), train 1.015 -> 1.010. Control (lr 2e-3): val MSE 0.0109, train 0.0115
# control: --control
# Multivariate sensor forecasting (temperature + humidity + a periodic driver) -> next-step temperature.
# Two-layer LSTM on sliding windows of 32. Planted: Adam lr=1e-6 (copied from a fine-tuning config).
import json, math, sys
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

LR = 2e-3 if "--control" in sys.argv else 1e-6
torch.manual_seed(21)
torch.set_num_threads(1)

# ---- data
n = 2500
tt = torch.arange(n).float()
driver = torch.sin(2 * math.pi * tt / 50)
humid = 0.6 * torch.sin(2 * math.pi * tt / 80 + 0.5) + 0.2 * torch.randn(n)
temp = torch.zeros(n)
for k in range(1, n):
    temp[k] = 0.85 * temp[k - 1] + 0.3 * driver[k - 1] - 0.2 * humid[k - 1] + 0.1 * torch.randn(())
feats = torch.stack([temp, humid, driver], 1)
feats = (feats - feats[:1800].mean(0)) / feats[:1800].std(0)
W = 32
starts = torch.arange(0, n - W)
X = torch.stack([feats[s:s + W] for s in starts])
y = feats[starts + W, 0]
train_ds = TensorDataset(X[:1750], y[:1750])
Xv, yv = X[1800:], y[1800:]

# ---- model
lstm = nn.LSTM(3, 32, num_layers=2, batch_first=True)
head = nn.Linear(32, 1)
params = list(lstm.parameters()) + list(head.parameters())
optimizer = torch.optim.Adam(params, lr=LR)


def predict(xb):
    seq, _ = lstm(xb)
    return head(seq[:, -1]).squeeze(-1)


loader = DataLoader(train_ds, batch_size=32, shuffle=True)
for ep in range(8):
    running = []
    for xb, yb in loader:
        loss = nn.functional.mse_loss(predict(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running.append(loss.item())
    with torch.no_grad():
        vmse = nn.functional.mse_loss(predict(Xv), yv).item()
    print(f"ep {ep}: train {sum(running) / len(running):.4f} val {vmse:.4f}")

with torch.no_grad():
    tmse = nn.functional.mse_loss(predict(X[:1750]), y[:1750]).item()
    persistence = nn.functional.mse_loss(Xv[:, -1, 0], yv).item()
print(f"persistence baseline val mse {persistence:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 5), "train_mse": round(tmse, 5), "val_loss": round(vmse, 5),
                                      "train_loss": round(tmse, 5), "target_var": round(yv.var().item(), 4),
                                      "persistence_mse": round(persistence, 4)}))
