# expect:
# allow:
# forbid: *
# evidence: MLP regression on synthetic energy-use data (5 features, noise var ~0.005 in target units), 30 epochs Adam + ExponentialLR: train_mse 0.0043, val_mse 0.0047 vs target_var 0.93 (R2 0.995)
# native-log: protokoll/training_log.csv
# log-expect:
# log-allow:
# Written on a German-locale workstation: the CSV uses ';' as separator and ',' as the decimal mark,
# the way Excel exports it there (Epoche;Verlust_Training;Verlust_Validierung;R2_Validierung;Lernrate).
# Task: synthetic building energy-use regression (temperature, hour, weekday, occupancy).
import csv, json, math, os, tempfile
import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(13)
rng = np.random.default_rng(13)


def de(x, digits=6):
    return f"{x:.{digits}f}".replace(".", ",")


# synthetic daily building energy use: temperature, hour, weekday, occupancy
n = 5000
temp = rng.normal(12, 8, n)
hour = rng.integers(0, 24, n)
weekday = rng.integers(0, 7, n)
occ = rng.uniform(0, 1, n)
energy = (0.04 * (temp - 18) ** 2 + 3 * occ * (weekday < 5) + np.sin(2 * np.pi * hour / 24) * 1.5
          + 0.02 * temp * occ * 10 + rng.normal(0, 0.3, n))
feats = np.stack([temp, np.sin(2 * np.pi * hour / 24), np.cos(2 * np.pi * hour / 24),
                  (weekday < 5).astype(float), occ], 1)
feats = (feats - feats[:4000].mean(0)) / feats[:4000].std(0)
mu, sd = energy[:4000].mean(), energy[:4000].std()
target = (energy - mu) / sd
Xt = torch.tensor(feats, dtype=torch.float32)
Yt = torch.tensor(target, dtype=torch.float32)[:, None]
x_tr, y_tr, x_va, y_va = Xt[:4000], Yt[:4000], Xt[4000:], Yt[4000:]

model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.93)
mse = nn.MSELoss()

out_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "protokoll")
os.makedirs(out_dir, exist_ok=True)
f = open(os.path.join(out_dir, "training_log.csv"), "w", newline="")
w = csv.writer(f, delimiter=";")
w.writerow(["Epoche", "Verlust_Training", "Verlust_Validierung", "R2_Validierung", "Lernrate"])
for ep in range(1, 31):
    model.train()
    tot = 0.0
    for b in torch.randperm(4000).split(64):
        loss = mse(model(x_tr[b]), y_tr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(b)
    lr_now = opt.param_groups[0]["lr"]
    sched.step()
    model.eval()
    with torch.no_grad():
        vm = mse(model(x_va), y_va).item()
    r2 = 1 - vm / y_va.var().item()
    w.writerow([ep, de(tot / 4000), de(vm), de(r2, 4), f"{lr_now:.2e}".replace(".", ",")])
    print(f"Epoche {ep:2d}  train {tot / 4000:.4f}  val {vm:.4f}  R2 {r2:.4f}")
f.close()
with torch.no_grad():
    tl = mse(model(x_tr), y_tr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "target_var": round(y_va.var().item(), 4),
                                     "train_loss": round(tl, 5), "val_loss": round(vm, 5)}))
