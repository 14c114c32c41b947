# expect:
# allow:
# forbid: *
# evidence: target counts skewed (mean 159, median 102, max 800, skewness 1.24) modelled as log1p: val MSE 0.069 on log1p(count) vs predict-the-mean 4.05 (R2 0.983), MAE 10.2 bikes at a mean of 160; train MSE 0.059
# native-log: dlwpt_bikes.log
# log-expect:
# log-allow:
""""Deep Learning with PyTorch" style (the chapter 4 bike-sharing table, carried through the chapter 6
training recipe): hourly rental counts with a heavily right-skewed target (0..~900), hour-of-day and
weather one-hot encoded, temperature/humidity/wind standardised "as in the book", the target
modelled as log1p(count) (the skew handled properly), an nn.Sequential(OrderedDict(...)) MLP,
optim.Adam, and the book's training_loop printing
'{} Epoch {}, Training loss {}'.format(datetime.datetime.now(), epoch, loss_train / len(train_loader))
plus a validation line. Lines also go to $CORPUS_LOG_DIR/dlwpt_bikes.log."""
import os, sys, json, random, datetime, tempfile
from collections import OrderedDict
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(2); np.random.seed(2); random.seed(2)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
_logf = open(os.path.join(LOG_DIR, "dlwpt_bikes.log"), "w")
def log(line):
    print(line); _logf.write(line + "\n"); _logf.flush()

rs = np.random.RandomState(2)
n_days = 150
rows = []
for day in range(n_days):
    weekday = int(day % 7 < 5)
    season_temp = 12 + 10 * np.sin(2 * np.pi * day / 365.0)
    for hour in range(24):
        weather = rs.choice([1, 2, 3, 4], p=[0.6, 0.28, 0.1, 0.02])
        temp = season_temp + 6 * np.sin(np.pi * (hour - 6) / 18.0) + rs.normal(0, 2.5)
        hum = np.clip(rs.normal(60 + 8 * weather, 12), 10, 100)
        wind = abs(rs.normal(12, 6))
        if weekday:
            base = 25 + 420 * np.exp(-0.5 * ((hour - 8) / 1.0) ** 2) + 480 * np.exp(-0.5 * ((hour - 17.5) / 1.3) ** 2) \
                   + 110 * np.exp(-0.5 * ((hour - 13) / 2.5) ** 2)
        else:
            base = 15 + 330 * np.exp(-0.5 * ((hour - 14) / 3.0) ** 2)
        base *= 3 if hour >= 6 else 0.25
        rate = base * np.exp(0.03 * (temp - 15)) * [1.0, 0.8, 0.45, 0.15][weather - 1] * np.exp(-0.004 * (hum - 60)) / 3
        rows.append([day, hour, weekday, weather, temp, hum, wind, rs.poisson(max(rate, 0.2))])
data = np.array(rows, dtype=np.float64)
cnt = data[:, 7]
print(f"count: mean {cnt.mean():.1f}, median {np.median(cnt):.0f}, max {cnt.max():.0f}, skew {((cnt - cnt.mean()) ** 3).mean() / cnt.std() ** 3:.2f}")

hour_onehot = np.eye(24)[data[:, 1].astype(int)]
weather_onehot = np.eye(4)[data[:, 3].astype(int) - 1]
cont = data[:, 4:7]
is_train = data[:, 0] < 120                                  # first 120 days train, last 30 validation
c_mean, c_std = cont[is_train].mean(0), cont[is_train].std(0)
features = np.concatenate([hour_onehot, weather_onehot, data[:, 2:3], (cont - c_mean) / c_std], axis=1)
X = torch.tensor(features, dtype=torch.float32)
Y = torch.tensor(np.log1p(cnt), dtype=torch.float32).unsqueeze(1)
Xtr, Ytr, Xva, Yva = X[is_train], Y[is_train], X[~is_train], Y[~is_train]

train_loader = torch.utils.data.DataLoader(list(zip(Xtr, Ytr)), batch_size=64, shuffle=True)
val_loader = torch.utils.data.DataLoader(list(zip(Xva, Yva)), batch_size=256, shuffle=False)

seq_model = nn.Sequential(OrderedDict([
    ('hidden_linear', nn.Linear(X.shape[1], 64)),
    ('hidden_activation', nn.ReLU()),
    ('hidden_linear2', nn.Linear(64, 32)),
    ('hidden_activation2', nn.ReLU()),
    ('output_linear', nn.Linear(32, 1))]))

def validate(model, loader, loss_fn):
    model.eval()
    total, n = 0.0, 0
    with torch.no_grad():
        for xb, yb in loader:
            total += loss_fn(model(xb), yb).item() * len(yb); n += len(yb)
    model.train()
    return total / n

def training_loop(n_epochs, optimizer, model, loss_fn, train_loader):
    for epoch in range(1, n_epochs + 1):
        loss_train = 0.0
        for xb, yb in train_loader:
            outputs = model(xb)
            loss = loss_fn(outputs, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_train += loss.item()
        if epoch == 1 or epoch % 5 == 0:
            log('{} Epoch {}, Training loss {}'.format(datetime.datetime.now(), epoch, loss_train / len(train_loader)))
            log('{} Epoch {}, Validation loss {}'.format(datetime.datetime.now(), epoch, validate(model, val_loader, loss_fn)))

optimizer = optim.Adam(seq_model.parameters(), lr=3e-3)
loss_fn = nn.MSELoss()
training_loop(n_epochs=40, optimizer=optimizer, model=seq_model, loss_fn=loss_fn, train_loader=train_loader)

with torch.no_grad():
    pv = seq_model(Xva); pt = seq_model(Xtr)
    val_mse = loss_fn(pv, Yva).item(); tr_mse = loss_fn(pt, Ytr).item()
    pred_cnt = torch.expm1(pv).clamp(min=0).squeeze(); true_cnt = torch.expm1(Yva).squeeze()
    mae = (pred_cnt - true_cnt).abs().mean().item()
base = ((Yva - Ytr.mean()) ** 2).mean().item()
print(f"validation: MSE on log1p(count) {val_mse:.4f} (predict-the-mean baseline {base:.4f}), R2 {1 - val_mse / Yva.var().item():.3f}, "
      f"MAE in bikes {mae:.1f} (mean count {true_cnt.mean().item():.1f})")
_logf.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(tr_mse, 4), "target_var": round(Yva.var().item(), 4),
      "val_r2": round(1 - val_mse / Yva.var().item(), 4), "val_mae_counts": round(mae, 2)}))
