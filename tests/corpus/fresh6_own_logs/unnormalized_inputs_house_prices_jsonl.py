# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_low, learning_rate_too_high, dead_units, saturated_activations
# forbid: *
# evidence: planted raw features (scales 1 to 3e4): val_mse 17.5 after 30 epochs, erratic (3.5 at epoch 24, train_mse jumping 5.6 -> 28), far above the target variance 1.58; control z-scored features: val_mse 0.035 (noise var 0.01)
# control: --control
# native-log: metrics.jsonl
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low, learning_rate_too_high
"""House-price style regression on raw tabular features: area in sq ft (~500-4000), year built (1900-2020),
rooms (1-8), distance to centre in metres (200-30000), lot size in sq m (100-5000), a 0/1 flag. Features are
fed as they are. Control: z-score the features with train-set mean/std (nothing else changes).
Log: JSON lines {"epoch", "train_mse", "val_mse", "lr"}."""
import json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
NORMALISE = "--control" in sys.argv

g = torch.Generator().manual_seed(81)
def make(n):
    area = 500 + 3500 * torch.rand(n, generator=g)
    year = 1900 + 120 * torch.rand(n, generator=g)
    rooms = torch.randint(1, 9, (n,), generator=g).float()
    dist = 200 + 29800 * torch.rand(n, generator=g) ** 2
    lot = 100 + 4900 * torch.rand(n, generator=g)
    flag = (torch.rand(n, generator=g) < 0.3).float()
    # price in units of 100k: log-ish in area, decays with distance, newer is dearer, rooms interact with area
    y = (1.5 * torch.log(area / 500) + 1.2 * torch.exp(-dist / 8000) + 0.01 * (year - 1960)
         + 0.15 * rooms * (area > 2000).float() + 0.0001 * lot + 0.4 * flag)
    y = y + 0.1 * torch.randn(n, generator=g)
    return torch.stack([area, year, rooms, dist, lot, flag], 1), y.unsqueeze(1)
xtr, ytr = make(3000)
xva, yva = make(800)
if NORMALISE:
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd

model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
log = open(os.path.join(LOG_DIR, "metrics.jsonl"), "w")
for epoch in range(30):
    model.train()
    perm = torch.randperm(len(xtr))
    tl = 0.0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        loss = F.mse_loss(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        vm = F.mse_loss(model(xva), yva).item()
    log.write(json.dumps({"epoch": epoch, "train_mse": round(tl / len(xtr), 5), "val_mse": round(vm, 5), "lr": 1e-3}) + "\n"); log.flush()
    if epoch % 5 == 4:
        print(f"epoch {epoch} train_mse {tl / len(xtr):.4f} val_mse {vm:.4f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "train_mse": round(tl / len(xtr), 5), "target_var": round(yva.var().item(), 4), "noise_var": 0.01}))
