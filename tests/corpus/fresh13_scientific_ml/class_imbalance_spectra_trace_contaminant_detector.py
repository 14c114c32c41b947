# Quality control on a production line: detect a trace contaminant in NIR-like spectra (256
# channels). The contaminant adds one weak, broad band (amplitude 0.2-0.4) at channel ~140 on top
# of a matrix spectrum that varies batch to batch (overlapping bands + baseline + noise).
# Planted cause: only 4% of the training spectra contain the contaminant (as on the real line),
# and a plain cross-entropy 1-D CNN is trained on them -> it predicts "clean" for nearly
# everything. Validation has the same 4% rate; we report minority recall / balanced accuracy.
# --control re-weights the loss by inverse class frequency (the only change).
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: 86/2000 training spectra positive; planted: predicts "clean" for 99.6% of val spectra, val_acc 0.955 (majority rate 0.959), minority recall 0.00, balanced acc 0.498; control (inverse-frequency class weights): minority recall 0.64, balanced acc 0.76
# control: --control
import json, random, argparse
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
rng = np.random.default_rng(3)
CH = 256; x = np.arange(CH)

def spectra(n, rate=0.04):
    y = (rng.random(n) < rate).astype(np.int64)
    X = np.zeros((n, CH), np.float32)
    for i in range(n):
        s = np.zeros(CH)
        for c in (60, 110, 170, 210):
            s += rng.uniform(0.5, 1.5) * np.exp(-0.5 * ((x - c - rng.normal(0, 4)) / rng.uniform(8, 16)) ** 2)
        s += rng.uniform(0, 0.5) + rng.normal(0, 0.3) * x / CH
        if y[i]:
            s += rng.uniform(0.2, 0.4) * np.exp(-0.5 * ((x - 140 - rng.normal(0, 2)) / 6) ** 2)
        s += rng.normal(0, 0.03, CH)
        X[i] = s
    return torch.tensor(X).unsqueeze(1), torch.tensor(y)

Xtr, ytr = spectra(2000); Xva, yva = spectra(800)
m, sd = Xtr.mean(), Xtr.std()
Xtr, Xva = (Xtr - m) / sd, (Xva - m) / sd
counts = torch.bincount(ytr, minlength=2).float()
print(f"train class counts {counts.tolist()}, val positives {int(yva.sum())}/{len(yva)}")
weight = (counts.sum() / (2 * counts)) if args.control else None
net = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(4),
                    nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(8), nn.Flatten(),
                    nn.Linear(256, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(net.parameters(), lr=2e-3)

def evaluate():
    with torch.no_grad():
        out = net(Xva); pred = out.argmax(1)
        vl = nn.functional.cross_entropy(out, yva).item()
    rec_pos = (pred[yva == 1] == 1).float().mean().item(); rec_neg = (pred[yva == 0] == 0).float().mean().item()
    return vl, (pred == yva).float().mean().item(), rec_pos, 0.5 * (rec_pos + rec_neg), pred.float().mean().item()

for epoch in range(10):
    perm = torch.randperm(len(ytr)); tot = 0.0
    for i in range(0, len(perm), 64):
        idx = perm[i:i + 64]
        loss = nn.functional.cross_entropy(net(Xtr[idx]), ytr[idx], weight=weight)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    vl, acc, rec, bal, frac = evaluate()
    print(f"epoch {epoch} train_loss {tot/len(perm):.4f} val_loss {vl:.4f} val_acc {acc:.3f} minority_recall {rec:.3f} balanced_acc {bal:.3f} frac_pred_pos {frac:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "val_minority_recall": rec, "val_balanced_acc": bal, "train_loss": tot / len(perm), "majority_rate": 1 - yva.float().mean().item(), "chance_balanced_acc": 0.5}))
