# expect:
# allow:
# forbid: *
# evidence: held-out MSE 0.069 vs target variance 0.975 (R^2 0.93, noise floor 0.056), train 0.063; summed batch loss 1417 -> 127 while Adam at lr=1e-3 behaves normally
"""Healthy: squared error summed over a batch of 2048 (reduction='sum') with Adam.

Property-valuation style regression: 14 standardised features (size, rooms, age, location
embeddings...), a smooth nonlinear log-price target (standardised).  The loss is
F.mse_loss(..., reduction="sum") over batches of 2048, so the logged loss is in the thousands, but
Adam's update is invariant to the loss scale, so lr=1e-3 is the usual, correct setting.
MLP 14-128-64-1, 40 epochs.  Metric: held-out MSE vs the target variance (R^2).
"""
import json
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
D, B = 14, 2048

def make(n, g):
    x = torch.randn(n, D, generator=g)
    y = 0.8 * x[:, 0] + 0.5 * torch.tanh(2 * x[:, 1]) - 0.4 * x[:, 2] ** 2 / 2 + 0.3 * x[:, 3] * x[:, 4] + 0.3 * torch.sin(2 * x[:, 5]) + 0.2 * x[:, 6:10].sum(1) / 2
    return x, y + 0.25 * torch.randn(n, generator=g)

g = torch.Generator().manual_seed(1)
xtr, ytr = make(30000, g); xva, yva = make(5000, g)
ym, ys = ytr.mean(), ytr.std(); ytr = (ytr - ym) / ys; yva = (yva - ym) / ys
model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for ep in range(40):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), B):
        b = perm[i:i + B]; loss = F.mse_loss(model(xtr[b]).squeeze(1), ytr[b], reduction="sum")
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    with torch.no_grad(): vmse = float(F.mse_loss(model(xva).squeeze(1), yva))
    if ep % 4 == 3 or ep == 0: print(f"epoch {ep+1} summed_batch_loss {tot/nb:.1f} val_mse {vmse:.4f}")
with torch.no_grad(): tmse = float(F.mse_loss(model(xtr).squeeze(1), ytr))
noise = 0.25 ** 2 / float(ys) ** 2
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vmse, 4), "val_mse": round(vmse, 4), "train_loss": round(tmse, 4), "train_mse": round(tmse, 4), "target_var": round(float(yva.var()), 4), "noise_var": round(noise, 4)}))
