"""Conv1d autoencoder trained on normal synthetic ECG beats only; anomaly score = reconstruction MSE,
threshold = 99th percentile of scores on a normal-only validation set; evaluated on a test set with
10% anomalous beats (ST elevation, missing P wave, wide QRS). Reconstruction loss plateaus at the
measurement-noise level."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val recon MSE 0.00259 ~ noise var 0.0025 (train 0.00261); threshold at val p99 gives test precision 0.942, recall 0.790, F1 0.860 at 10.3% anomaly rate
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
L_ = 96; tt = np.arange(L_)
def g(c, w, a): return a * np.exp(-0.5 * ((tt - c) / w) ** 2)
def beat(kind=0):
    j = np.random.randn(5) * 0.08
    p = 0 if kind == 2 else 0.15
    qrs_w = 3.5 if kind == 3 else 1.4
    st = g(60, 6, 0.35) if kind == 1 else 0
    b = g(28 + 2 * j[0], 3, p) + g(45, qrs_w * (1 + j[1]), 1.0 * (1 + j[2])) - g(41, 1.2, 0.12) + g(70 + 2 * j[3], 6, 0.3) + st
    return b + 0.05 * np.random.randn(L_)
def stack(kinds): return torch.tensor(np.stack([beat(k) for k in kinds]), dtype=torch.float32).unsqueeze(1)
Xtr = stack([0] * 1200); Xva = stack([0] * 300)
kinds_te = np.where(np.random.rand(600) < 0.1, np.random.randint(1, 4, 600), 0); Xte = stack(kinds_te); yte = kinds_te > 0
model = nn.Sequential(nn.Conv1d(1, 16, 5, stride=2, padding=2), nn.ReLU(), nn.Conv1d(16, 16, 5, stride=2, padding=2), nn.ReLU(),
                      nn.Flatten(), nn.Linear(16 * 24, 8), nn.Linear(8, 16 * 24), nn.Unflatten(1, (16, 24)), nn.ReLU(),
                      nn.ConvTranspose1d(16, 16, 4, stride=2, padding=1), nn.ReLU(), nn.ConvTranspose1d(16, 16, 4, stride=2, padding=1), nn.ReLU(),
                      nn.Conv1d(16, 1, 3, padding=1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
for epoch in range(15):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.mse_loss(model(Xtr[idx]), Xtr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad(): vl = F.mse_loss(model(Xva), Xva).item()
    print(f"epoch {epoch} train_recon_mse {tl / len(Xtr):.5f} val_recon_mse {vl:.5f}")
with torch.no_grad():
    sva = ((model(Xva) - Xva) ** 2).mean(dim=(1, 2)).numpy(); ste = ((model(Xte) - Xte) ** 2).mean(dim=(1, 2)).numpy()
thr = np.percentile(sva, 99); pred = ste > thr
tp = int((pred & yte).sum()); fp = int((pred & ~yte).sum()); fn = int((~pred & yte).sum())
prec = tp / max(tp + fp, 1); rec = tp / max(tp + fn, 1); f1 = 2 * prec * rec / max(prec + rec, 1e-9)
print(f"threshold {thr:.5f} (noise var 0.0025) | test anomalies {int(yte.sum())} precision {prec:.3f} recall {rec:.3f} F1 {f1:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_recon_mse": round(vl, 5), "train_recon_mse": round(tl / len(Xtr), 5), "noise_var": 0.0025,
      "test_precision": round(prec, 4), "test_recall": round(rec, 4), "test_f1": round(f1, 4), "anomaly_rate": round(float(yte.mean()), 4)}))
