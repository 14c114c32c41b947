# expect: unnormalized_inputs
# allow: non_convergence, high_bias, saturated_activations, vanishing_gradients
# forbid: *
# evidence: raw series (~5000 +- 600) into the LSTM: test MSE 3.2e7 vs target variance 3.1e5 (worse than predicting the mean); control standardised: test MSE 8940 (naive last-value 54691)
# control: --control
# LSTM next-day forecaster on a (generated) daily sales series, the way blog tutorials do it:
# sliding windows -> nn.LSTM(batch_first=True) -> Linear on the last hidden state, MSELoss, Adam.
import argparse
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--window", type=int, default=28)
parser.add_argument("--epochs", type=int, default=8)
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--control", action="store_true", help="standardise the series (train mean/std) before windowing")
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(3)

# ---- a daily "sales" series: level ~5000, yearly-ish + weekly seasonality, trend, noise ----
t = torch.arange(2400, dtype=torch.float32)
series = (5000 + 0.3 * t + 700 * torch.sin(2 * math.pi * t / 61) + 350 * torch.sin(2 * math.pi * t / 7)
          + 60 * torch.randn(len(t)))
split = 2000
train_series, test_series = series[:split], series[split - args.window:]

if args.control:
    mu, sd = train_series.mean(), train_series.std()
else:
    mu, sd = torch.tensor(0.0), torch.tensor(1.0)


def windows(s):
    s = (s - mu) / sd
    X = torch.stack([s[i:i + args.window] for i in range(len(s) - args.window)]).unsqueeze(-1)
    y = s[args.window:].unsqueeze(-1)
    return X, y


Xtr, ytr = windows(train_series)
Xte, yte = windows(test_series)
print("train windows", tuple(Xtr.shape), "input mean %.1f std %.1f" % (Xtr.mean(), Xtr.std()))


class LSTMForecaster(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


model = LSTMForecaster()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)

for epoch in range(args.epochs):
    model.train()
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        pred = model(Xte) * sd + mu
        test_mse = ((pred - (yte * sd + mu)) ** 2).mean().item()
    print("Epoch %d  train loss %.4f  test MSE (sales units^2) %.1f  test RMSE %.1f" % (
        epoch + 1, total / len(Xtr), test_mse, math.sqrt(test_mse)))

with torch.no_grad():
    train_mse = (((model(Xtr) - ytr) * sd) ** 2).mean().item()
naive = ((test_series[args.window:] - test_series[args.window - 1:-1]) ** 2).mean().item()
print("naive last-value forecast MSE %.1f" % naive)
print("CORPUS_METRIC " + json.dumps({"val_mse": round(test_mse, 2), "train_mse": round(train_mse, 2),
                                     "target_var": round(test_series[args.window:].var().item(), 2),
                                     "naive_mse": round(naive, 2)}))
