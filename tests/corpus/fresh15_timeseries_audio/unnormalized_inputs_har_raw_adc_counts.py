"""Human-activity recognition from 3-axis accelerometer windows fed as raw 12-bit ADC counts
(offset ~2048, ~400 counts per g, one channel on a different gain) straight into a Conv1d net.
--control standardises each channel with train-set statistics."""
# expect: unnormalized_inputs
# allow: non_convergence, high_bias, saturated_activations, dead_units, learning_rate_too_high, exploding_gradients
# forbid: *
# evidence: control (standardised) reaches val_acc 0.995, val_loss 0.038; planted (raw counts, mean 2592, channel stds 147/92/360) spikes to train_loss 2564 in epoch 0 then sits at val_acc 0.25 = chance, val_loss 1.387
# control: --control
# native-log: har_metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# classes: 0 idle, 1 walk, 2 run, 3 stairs ; 64 samples at 32 Hz
def make(n):
    t = np.arange(64) / 32.0
    X = np.zeros((n, 3, 64)); y = np.random.randint(0, 4, n)
    freq = {0: 0.0, 1: 1.8, 2: 2.8, 3: 1.2}; amp = {0: 0.02, 1: 0.35, 2: 0.8, 3: 0.5}
    for i in range(n):
        c = y[i]; ph = np.random.rand() * 6.28; f = freq[c] * (1 + 0.1 * np.random.randn())
        a = amp[c] * (1 + 0.2 * np.random.randn())
        X[i, 0] = a * np.sin(2 * np.pi * f * t + ph)
        X[i, 1] = 0.5 * a * np.sin(4 * np.pi * f * t + ph) + (0.3 if c == 3 else 0.0)
        X[i, 2] = 1.0 + a * 0.6 * np.cos(2 * np.pi * f * t + ph)  # gravity on z
        X[i] += 0.05 * np.random.randn(3, 64)
    counts = 2048 + 400 * X                    # 12-bit ADC counts
    counts[:, 2] = 2048 + 1600 * X[:, 2]       # z axis on a +-2g range with 4x gain
    return counts.astype(np.float32), y
Xtr, ytr = make(1200); Xva, yva = make(400)
if CONTROL:
    mu = Xtr.mean(axis=(0, 2), keepdims=True); sd = Xtr.std(axis=(0, 2), keepdims=True)
    Xtr = (Xtr - mu) / sd; Xva = (Xva - mu) / sd
print(f"input mean {Xtr.mean():.1f} std {Xtr.std():.1f} per-channel std {Xtr.std(axis=(0,2)).round(2).tolist()}")
Xtr, ytr, Xva, yva = map(torch.tensor, (Xtr, ytr, Xva, yva))

model = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
                      nn.Linear(32, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
f = open(os.path.join(LOG_DIR, "har_metrics.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
for epoch in range(10):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    tl /= len(Xtr); model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, f"{tl:.5f}", f"{vl:.5f}", f"{va:.4f}"]); print(f"epoch {epoch} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
