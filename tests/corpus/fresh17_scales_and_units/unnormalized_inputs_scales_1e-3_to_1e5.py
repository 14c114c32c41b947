# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients
# forbid: *
# evidence: feature stds span 1e-3..1e5 with offsets up to 3e5; control (z-scored) reaches val_loss 0.227 / val_acc 0.907; planted (raw) ends at val_loss 146.5 / val_acc 0.377 (majority 0.348) with train loss jumping 152 -> 89; probe: first-layer grad norm 7.6e4 planted vs 0.017 control (exploding_gradients allowed as a consequence)
# control: --control
"""Tabular classification whose 10 raw features are measured in wildly different units: column j is
multiplied by 10^(j-3), so scales run from 1e-3 to 1e5 (and some have large offsets). Fed raw to an MLP
with Adam lr=1e-3. Control: z-score the features with train statistics (everything else identical)."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
g = torch.Generator().manual_seed(0)
D, K = 9, 3
scale = torch.tensor([10.0 ** (j - 3) for j in range(D)])
offset = torch.tensor([0, 0, 5, 0, 30, 0, 2000, 0, 3e5])
Wt = torch.randn(D, K, generator=g)
def sample(n):
    Z = torch.randn(n, D, generator=g)
    y = (Z @ Wt + 0.5 * torch.randn(n, K, generator=g)).argmax(1)
    return Z * scale + offset, y
Xtr, ytr = sample(2000); Xva, yva = sample(600)
if CONTROL:
    mu, sd = Xtr.mean(0), Xtr.std(0); Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
print("feature std:", [f"{v:.1e}" for v in Xtr.std(0).tolist()], "feature mean:", [f"{v:.1e}" for v in Xtr.mean(0).tolist()])
model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, K))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.CrossEntropyLoss()
for epoch in range(20):
    model.train(); perm = torch.randperm(2000); tot = 0.0
    for i in range(0, 2000, 64):
        idx = perm[i:i + 64]; loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad(): o = model(Xva); vl = lossf(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tot / 2000:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
model.zero_grad(); lossf(model(Xtr), ytr).backward(); gn0 = model[0].weight.grad.norm().item()
print(f"probe: full-batch grad norm of the first layer at the end {gn0:.3g}")
print("CORPUS_METRIC " + json.dumps({"first_layer_grad_norm": round(gn0, 5), "val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / 2000, 4),
                                    "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))
