# expect: learning_rate_too_high, non_finite
# allow: exploding_gradients, non_convergence, dead_units
# forbid: *
# evidence: probe: first-step update/weight ratio 1.2-8.5 per layer (control 1.2e-3-8.3e-3); per-sample CE 2.08 -> 24.8 -> 4.9e7 -> 5.2e16 -> 6.6e33 -> NaN at step 5, val acc 0.122 (chance 0.125); control (lr/1024) val acc 0.874, val CE 0.351
# control: --control
"""Planted: loss summed over a batch of 1024 (reduction='sum') with an lr tuned for a mean loss.

Land-cover style tabular classification: 30 standardised spectral features, 8 classes, 24k
samples, batch 1024.  MLP 30-128-128-8, SGD momentum 0.9.  The loss is
F.cross_entropy(..., reduction="sum"), so gradients are 1024x larger than with a mean;
Planted: lr = 0.05 (a normal value for a *mean* loss), i.e. an effective step 1024x too big.
--control: lr = 0.05 / 1024 (the same effective step as a mean loss at 0.05); nothing else changes.
Metric: held-out accuracy (chance 1/8) and mean CE.  Probe: first-step update/weight ratio.
"""
import argparse, json, math
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
C, D, B = 8, 30, 1024
LR = 0.05 / B if args.control else 0.05
cent = torch.randn(C, 6) * 1.5; Mx = torch.randn(6 + 4, D) / 2

def make(n, g):
    y = torch.randint(0, C, (n,), generator=g)
    z = torch.cat([cent[y] + torch.randn(n, 6, generator=g), torch.randn(n, 4, generator=g)], 1)
    return torch.tanh(z @ Mx) + 0.1 * torch.randn(n, D, generator=g), y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(24000, g); xva, yva = make(4000, g)
mu, sd = xtr.mean(0), xtr.std(0); xtr = (xtr - mu) / sd; xva = (xva - mu) / sd
model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, C))
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
first = True
for ep in range(15):
    perm = torch.randperm(len(xtr)); tot = 0.0; n = 0
    for i in range(0, len(xtr) - B + 1, B):
        b = perm[i:i + B]; loss = F.cross_entropy(model(xtr[b]), ytr[b], reduction="sum")
        opt.zero_grad(); loss.backward()
        if first:
            w0 = [p.detach().clone() for p in model.parameters()]
        opt.step()
        if first:
            r = [float((p.detach() - q).norm() / q.norm()) for p, q in zip(model.parameters(), w0) if p.dim() == 2]
            print("probe first-step update/weight ratio per Linear:", " ".join(f"{v:.2e}" for v in r)); first = False
        if ep == 0 and i < 6 * B: print(f'probe step {i // B}: per-sample CE {loss.item() / B:.4g}')
        tot += loss.item(); n += len(b)
    with torch.no_grad():
        lo = model(xva); vl = float(F.cross_entropy(lo, yva)); acc = float((lo.argmax(1) == yva).float().mean())
    print(f"epoch {ep+1} train_ce_per_sample {tot/n:.4f} val_ce {vl:.4f} val_acc {acc:.4f}")
with torch.no_grad(): lt = model(xtr); tl = float(F.cross_entropy(lt, ytr)); tacc = float((lt.argmax(1) == ytr).float().mean())
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(acc, 4), "train_loss": fin(tl), "train_acc": round(tacc, 4), "chance_acc": 0.125}))
