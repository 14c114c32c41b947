"""Nearly separable two-moons (noise 0.08, 3000 points) with an MLP trained long enough that
train loss goes to ~0.002; val loss follows it down and stays flat at its best -- a long but
healthy fit. The logger writes a TSV with columns in an odd order, extra columns (host,
gpu_mem_mb, samples_per_s, an ISO timestamp) and wall-clock seconds as the only x axis."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_acc 1.00 (chance 0.50), val_loss 5e-5 (best 4e-5, flat at its best), train_loss 9e-5; tiny gradients because the fit is converged
# native-log: perf_and_metrics.tsv
# log-expect:
# log-allow:
import os, json, random, tempfile, time, datetime
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import make_moons

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = make_moons(n_samples=3000, noise=0.08, random_state=1)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva = torch.tensor(X[:2400], dtype=torch.float32), torch.tensor(X[2400:], dtype=torch.float32)
ytr, yva = torch.tensor(y[:2400], dtype=torch.float32), torch.tensor(y[2400:], dtype=torch.float32)
model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
lossf = nn.BCEWithLogitsLoss()
f = open(os.path.join(logdir, "perf_and_metrics.tsv"), "w")
f.write("host\tval_loss\twall_time_s\tgpu_mem_mb\tloss\tsamples_per_s\tval_accuracy\ttime_iso\n")
t0 = time.time(); base = datetime.datetime(2026, 1, 5, 3, 0, 0); best = 9
for ep in range(40):
    model.train(); perm = torch.randperm(2400); tot = n = 0; te = time.time()
    for i in range(0, 2400, 64):
        idx = perm[i:i + 64]
        loss = lossf(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); n += len(idx)
    model.eval()
    with torch.no_grad():
        o = model(Xva).squeeze(1); vl = lossf(o, yva).item(); va = ((o > 0).float() == yva).float().mean().item()
    best = min(best, vl); w = time.time() - t0
    f.write(f"gpu-a3-07\t{vl:.6f}\t{w:.3f}\t{1870 + ep % 3}\t{tot/n:.6f}\t{2400/max(time.time()-te,1e-3):.0f}\t{va:.4f}\t{(base + datetime.timedelta(seconds=w)).isoformat()}\n")
f.close(); tl = tot / n
print(f"train_loss {tl:.5f} val_loss {vl:.5f} best {best:.5f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 5), "best_val_loss": round(best, 5), "val_acc": round(va, 4), "train_loss": round(tl, 5), "chance_acc": 0.5}))
