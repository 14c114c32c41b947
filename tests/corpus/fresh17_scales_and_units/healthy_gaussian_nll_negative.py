# expect:
# allow:
# forbid: *
# evidence: healthy; Gaussian NLL goes from -0.01 to -1.61 (negative is correct with small noise; oracle NLL -2.16); val_mse 0.0189 vs noise var 0.0169 and target var 0.56
# native-log: gnll/metrics.csv
# log-expect:
# log-allow:
"""Heteroscedastic regression with a mean head and a variance head trained by GaussianNLLLoss. Noise is
small (sd 0.05-0.2), so the NLL correctly goes NEGATIVE (about -1) once the model is good."""
import os, sys, json, random, tempfile, csv, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "gnll"), exist_ok=True)
g = torch.Generator().manual_seed(0)
def sample(n):
    x = torch.rand(n, 1, generator=g) * 6 - 3
    sd = 0.05 + 0.15 * (x + 3) / 6
    return x, torch.sin(2 * x) + 0.3 * x + sd * torch.randn(n, 1, generator=g), sd
Xtr, ytr, _ = sample(1500); Xva, yva, sdva = sample(500)
class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.body = nn.Sequential(nn.Linear(1, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU()); s.mu = nn.Linear(64, 1); s.lv = nn.Linear(64, 1)
    def forward(s, x):
        h = s.body(x); return s.mu(h), nn.functional.softplus(s.lv(h)) + 1e-4
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
lossf = nn.GaussianNLLLoss()
f = open(os.path.join(LOG_DIR, "gnll", "metrics.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "step", "train_nll", "val_nll", "val_mse"])
step = 0
for epoch in range(40):
    perm = torch.randperm(1500); tot = 0.0
    for i in range(0, 1500, 64):
        idx = perm[i:i + 64]; mu, var = model(Xtr[idx])
        loss = lossf(mu, ytr[idx], var); opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
    with torch.no_grad():
        mu, var = model(Xva); vl = lossf(mu, yva, var).item(); vm = ((mu - yva) ** 2).mean().item()
    w.writerow([epoch, step, round(tot / 1500, 5), round(vl, 5), round(vm, 6)]); f.flush()
    print(f"epoch {epoch:2d} train_nll {tot / 1500:+.4f} val_nll {vl:+.4f} val_mse {vm:.5f}")
f.close()
best_nll = float((0.5 * torch.log(sdva ** 2)).mean())   # oracle NLL (GaussianNLLLoss omits the constant)
print("CORPUS_METRIC " + json.dumps({"val_nll": round(vl, 4), "val_mse": round(vm, 5), "target_var": round(yva.var().item(), 4),
                                    "oracle_nll": round(best_nll, 4), "noise_var_mean": round((sdva ** 2).mean().item(), 5)}))
