# expect:
# allow:
# forbid: *
# evidence: held-out reconstruction val_mse 0.029 vs target variance 1.02 (R^2 0.972), train_mse 0.027 - no gap
"""Dense autoencoder trained with reconstruction MSE under torch.autocast(cpu, bfloat16).
Data: 48-d sensor vectors generated from a 6-d latent through a fixed random 2-layer tanh map,
plus small noise, standardised with training statistics.  Bottleneck of 8 units."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(42)

# ---- data -------------------------------------------------------------------------------------
gen = torch.Generator().manual_seed(7)
W1 = torch.randn(6, 32, generator=gen)
W2 = torch.randn(32, 48, generator=gen) / 32 ** 0.5


def sample(n):
    z = torch.randn(n, 6, generator=gen)
    x = torch.tanh(z @ W1 * 0.5) @ W2
    return x + 0.05 * torch.randn(n, 48, generator=gen)


x_train, x_val = sample(6000), sample(1500)
mu, sd = x_train.mean(0), x_train.std(0)
x_train, x_val = (x_train - mu) / sd, (x_val - mu) / sd

train_loader = DataLoader(TensorDataset(x_train), batch_size=128, shuffle=True)


# ---- model ------------------------------------------------------------------------------------
class AutoEncoder(nn.Module):
    def __init__(self, d_in=48, d_code=8):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d_in, 64), nn.GELU(), nn.Linear(64, 32), nn.GELU(),
                                     nn.Linear(32, d_code))
        self.decoder = nn.Sequential(nn.Linear(d_code, 32), nn.GELU(), nn.Linear(32, 64), nn.GELU(),
                                     nn.Linear(64, d_in))

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = AutoEncoder()
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=30)
criterion = nn.MSELoss()

for epoch in range(30):
    model.train()
    running = 0.0
    for (xb,) in train_loader:
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            recon = model(xb)
        loss = criterion(recon.float(), xb)
        loss.backward()
        optimizer.step()
        running += loss.item() * xb.size(0)
    scheduler.step()
    train_mse = running / len(x_train)

    model.eval()
    with torch.no_grad(), torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        val_mse = criterion(model(x_val).float(), x_val).item()
    if epoch % 5 == 0 or epoch == 29:
        print(f"epoch {epoch:02d}  train_mse {train_mse:.4f}  val_mse {val_mse:.4f}")

target_var = x_val.var().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                     "target_var": round(target_var, 4),
                                     "val_r2": round(1 - val_mse / target_var, 4)}))
