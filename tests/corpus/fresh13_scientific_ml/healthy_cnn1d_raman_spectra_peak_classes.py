# Classifier of simulated Raman-like spectra (512 channels) into 5 compounds. Each compound has
# 2-4 characteristic Lorentzian peaks; every spectrum gets random peak shifts (sd 2 channels),
# width and intensity jitter, a random polynomial fluorescence baseline and shot noise.
# Per-spectrum standardisation (SNV), a small 1-D CNN with BatchNorm, Adam + OneCycle.
# expect:
# allow:
# forbid: *
# evidence: val_acc 1.000 on 300 held-out spectra (chance 0.20), val_loss 0.0092, train_loss 0.0076 after 8 epochs; peak shifts +-2 ch sd, baseline and shot noise make it non-trivial at epoch 0 (val_acc 0.77)
# native-log: spectra_log.csv
# log-expect:
# log-allow:
import os, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
rng = np.random.default_rng(0)
CH = 512
x = np.arange(CH)
PEAKS = {0: [80, 210, 400], 1: [95, 300], 2: [150, 210, 330, 450], 3: [80, 260, 410], 4: [120, 300, 470]}

def spectra(n):
    X, y = np.zeros((n, CH), np.float32), rng.integers(0, 5, n)
    for i in range(n):
        s = np.zeros(CH)
        for p in PEAKS[y[i]]:
            c = p + rng.normal(0, 2.0); wdt = rng.uniform(3, 7); a = rng.uniform(0.6, 1.4)
            s += a * wdt ** 2 / ((x - c) ** 2 + wdt ** 2)
        t = x / CH
        s += rng.uniform(0, 2) + rng.normal(0, 1.0) * t + rng.normal(0, 1.0) * t ** 2   # fluorescence baseline
        s = rng.poisson(np.clip(s, 0, None) * 200) / 200.0
        X[i] = (s - s.mean()) / s.std()                                              # SNV
    return torch.tensor(X).unsqueeze(1), torch.tensor(y)

Xtr, ytr = spectra(800); Xva, yva = spectra(300)
net = nn.Sequential(
    nn.Conv1d(1, 16, 9, padding=4), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(4),
    nn.Conv1d(16, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(4),
    nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(8),
    nn.Flatten(), nn.Linear(256, 5))
EPOCHS = 8
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, total_steps=EPOCHS * 25)
f = open(os.path.join(log_dir, "spectra_log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr"])
for epoch in range(EPOCHS):
    net.train(); perm = torch.randperm(800); tl, tc = 0.0, 0
    for i in range(0, 800, 32):
        idx = perm[i:i + 32]
        out = net(Xtr[idx]); loss = nn.functional.cross_entropy(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        tl += loss.item() * len(idx); tc += (out.argmax(1) == ytr[idx]).sum().item()
    net.eval()
    with torch.no_grad():
        ov = net(Xva); vl = nn.functional.cross_entropy(ov, yva).item(); va = (ov.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, tl / 800, tc / 800, vl, va, sched.get_last_lr()[0]])
    print(f"epoch {epoch:2d} train_loss {tl/800:.4f} train_acc {tc/800:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl / 800, "train_acc": tc / 800, "chance_acc": 0.2}))
