"""Tone-in-noise detection from raw waveforms (which of 5 pitch bands, or none) at low SNR with a strided
Conv1d front-end on the waveform (no spectrogram). Batch size 8 with SGD+momentum and a step lr
decay: the per-step loss is very noisy, but held-out accuracy is high."""
# expect:
# allow:
# forbid: *
# evidence: healthy: batch-8 step losses noisy (last epoch mean 0.053, std 0.118, max 1.16) but val_acc 0.958, val_loss 0.127 (chance 0.167)
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
SR, n = 8000, 1024; tt = torch.arange(n) / SR; BANDS = [(300, 450), (600, 800), (1000, 1300), (1600, 2000), (2500, 3000)]
def clip(c):
    x = torch.randn(n)            # unit-variance noise
    if c < 5:
        f = random.uniform(*BANDS[c]); x = x + 0.7 * torch.sin(2 * math.pi * f * tt + random.random() * 6.28)
    return x
def ds(m):
    y = torch.randint(0, 6, (m,)); return torch.stack([clip(int(c)) for c in y]).unsqueeze(1), y
Xtr, ytr = ds(900); Xva, yva = ds(400)
model = nn.Sequential(nn.Conv1d(1, 16, 64, stride=8, padding=28), nn.BatchNorm1d(16), nn.ReLU(), nn.Conv1d(16, 32, 5, stride=2, padding=2),
                      nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 6))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9); sched = torch.optim.lr_scheduler.StepLR(opt, 4, 0.3)
step_losses = []
for epoch in range(8):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 8):
        idx = perm[i:i + 8]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step_losses.append(loss.item())
    sched.step(); model.eval()
    with torch.no_grad(): out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    ep = np.array(step_losses[-len(range(0, len(Xtr), 8)):])
    print(f"epoch {epoch} lr {opt.param_groups[0]['lr']:.4f} step-loss mean {ep.mean():.3f} std {ep.std():.3f} max {ep.max():.3f} | val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss_last_epoch": round(float(ep.mean()), 4), "chance_acc": round(1 / 6, 4)}))
