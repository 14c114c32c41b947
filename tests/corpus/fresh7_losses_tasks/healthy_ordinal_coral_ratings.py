# expect:
# allow:
# forbid: *
# evidence: val MAE 0.28 grades (median-grade baseline 0.94), val exact-grade acc 0.72; CORAL val loss falls every epoch 1.14 (ep4) -> 0.73 (ep29), train 0.62
"""Healthy: ordinal regression of 1-5 star ratings with a CORAL head (shared weights, K-1 biases).

Tabular features (16 standardised columns) -> latent quality -> 5 ordered grades with noisy
thresholds.  Loss: CORAL = sum of K-1 binary cross-entropies on the cumulative targets
[y > k].  MLP with a single shared output unit + 4 learned biases, Adam lr=3e-3 with
ReduceLROnPlateau, 30 epochs.  Metric: held-out MAE in grades; references: predicting the
median grade gives MAE ~0.9, and the noise in the latent caps the achievable MAE near ~0.3.
"""
import json
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
D, K = 16, 5
A = torch.randn(D, 8) / 4

def make(n, g):
    x = torch.randn(n, D, generator=g)
    h = torch.tanh(x @ A)
    q = 1.5 * h[:, 0] + h[:, 1] * h[:, 2] + 0.8 * h[:, 3].pow(2) + 0.25 * torch.randn(n, generator=g)
    return x, q

g = torch.Generator().manual_seed(1)
xtr, qtr = make(5000, g); xva, qva = make(2000, g)
cuts = torch.quantile(qtr, torch.tensor([0.1, 0.3, 0.6, 0.85]))
ytr = torch.bucketize(qtr, cuts); yva = torch.bucketize(qva, cuts)

class Coral(nn.Module):
    def __init__(s):
        super().__init__()
        s.body = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        s.w = nn.Linear(64, 1, bias=False); s.b = nn.Parameter(torch.linspace(1, -1, K - 1))
    def forward(s, x): return s.w(s.body(x)) + s.b

def coral_loss(logits, y):
    levels = (y.unsqueeze(1) > torch.arange(K - 1)).float()
    return F.binary_cross_entropy_with_logits(logits, levels, reduction="none").sum(1).mean()

def predict(logits): return (torch.sigmoid(logits) > 0.5).sum(1)

m = Coral(); opt = torch.optim.Adam(m.parameters(), lr=3e-3)
sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
for ep in range(30):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 128):
        b = perm[i:i + 128]; loss = coral_loss(m(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    with torch.no_grad():
        lv = m(xva); vl = float(coral_loss(lv, yva)); mae = float((predict(lv) - yva).abs().float().mean())
    sch.step(vl)
    print(f"epoch {ep} coral_train {tot/nb:.4f} coral_val {vl:.4f} val_MAE {mae:.3f} lr {opt.param_groups[0]['lr']:.1e}")
with torch.no_grad(): lt = m(xtr); tl = float(coral_loss(lt, ytr)); tmae = float((predict(lt) - ytr).abs().float().mean())
med = yva.median(); base = float((yva - med).abs().float().mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_mae": round(mae, 4), "val_acc": round(float((predict(lv) == yva).float().mean()), 4), "train_loss": round(tl, 4), "train_mae": round(tmae, 4), "median_baseline_mae": round(base, 4)}))
