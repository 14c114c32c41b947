# expect:
# allow:
# forbid: *
# evidence: 10-step-ahead val_mse 0.0171 (target variance 0.406, last-value baseline 0.245), train_mse 0.0176
"""LSTM that reads 60 steps of a noisy sine mixture and forecasts the next 10 steps.
Early stopping on a validation split, ReduceLROnPlateau."""
import copy
import json
import math

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(42)

HIST, HORIZON = 60, 10


def gen(n, g):
    t = torch.arange(HIST + HORIZON).float()
    freqs = torch.rand(n, 2, 1, generator=g) * 0.15 + 0.05
    phases = torch.rand(n, 2, 1, generator=g) * 2 * math.pi
    amps = torch.rand(n, 2, 1, generator=g) * 0.8 + 0.2
    clean = (amps * torch.sin(freqs * t + phases)).sum(1)
    noisy = clean + 0.05 * torch.randn(clean.shape, generator=g)
    return noisy[:, :HIST, None], clean[:, HIST:]


g = torch.Generator().manual_seed(0)
x_train, y_train = gen(3000, g)
x_val, y_val = gen(400, g)


class Forecaster(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, num_layers=1, batch_first=True)
        self.head = nn.Linear(hidden, HORIZON)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


model = Forecaster()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
loss_fn = nn.MSELoss()

best, best_state, bad, patience = float("inf"), None, 0, 3
for epoch in range(12):
    model.train()
    perm = torch.randperm(len(x_train))
    running = 0.0
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        loss = loss_fn(model(x_train[b]), y_train[b])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        running += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        val = loss_fn(model(x_val), y_val).item()
    plateau.step(val)
    print(f"epoch {epoch:2d} train_mse {running / len(perm):.5f} val_mse {val:.5f} lr {opt.param_groups[0]['lr']:.1e}")
    if val < best - 1e-5:
        best, best_state, bad = val, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= patience:
            print("early stopping")
            break

model.load_state_dict(best_state)
with torch.no_grad():
    val_mse = loss_fn(model(x_val), y_val).item()
    train_mse = loss_fn(model(x_train[:400]), y_train[:400]).item()
    naive = loss_fn(x_val[:, -1:, 0].expand(-1, HORIZON), y_val).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 5), "train_mse": round(train_mse, 5),
                                     "target_var": round(y_val.var().item(), 4), "last_value_mse": round(naive, 4)}))
