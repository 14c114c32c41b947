# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: planted (reduction='sum', batch 128, lr 0.05): batch loss 332 -> 7515 -> 1.1e14 -> inf in 4 steps, grad norm 112 -> 1.6e4 -> 4.4e12, then NaN; control (reduction='mean', same lr): val_mse 0.060 vs target var 2.60, max grad norm 2.25
# control: --control
# native-log: sumred_metrics.csv
# log-expect: non_finite
# log-allow: learning_rate_too_high, non_convergence, exploding_gradients
"""SGD lr=0.05 was tuned for MSELoss(reduction='mean'); the script uses reduction='sum' over batches
of 128, which multiplies every update by 128. Control: reduction='mean' with the same lr."""
import os, sys, json, random, tempfile, csv, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
g = torch.Generator().manual_seed(0)
D = 8
wt = torch.randn(D, 1, generator=g)
def sample(n):
    X = torch.randn(n, D, generator=g); return X, torch.tanh(X @ wt / 2) * 2 + 0.5 * torch.relu(X[:, :1]) + 0.1 * torch.randn(n, 1, generator=g)
Xtr, ytr = sample(2048); Xva, yva = sample(512)
model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
lossf = nn.MSELoss(reduction="mean" if CONTROL else "sum")
f = open(os.path.join(LOG_DIR, "sumred_metrics.csv"), "w", newline=""); w = csv.writer(f); w.writerow(["step", "epoch", "train_loss", "val_mse", "grad_norm"])
step = 0; gmax = 0.0
for epoch in range(15):
    perm = torch.randperm(2048)
    for i in range(0, 2048, 128):
        idx = perm[i:i + 128]; loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        gn = float(torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))); gmax = max(gmax, gn if math.isfinite(gn) else float("inf"))
        opt.step(); step += 1
        with torch.no_grad(): vm = ((model(Xva) - yva) ** 2).mean().item()
        w.writerow([step, epoch, loss.item(), vm, gn])
    print(f"epoch {epoch:2d} last batch loss ({lossf.reduction}) {loss.item():.4g} val_mse {vm:.4g} grad_norm {gn:.3g}")
f.close()
with torch.no_grad(): trm = ((model(Xtr) - ytr) ** 2).mean().item()
J = lambda v: v if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_mse": J(round(vm, 5)), "train_mse": J(round(trm, 5)), "target_var": round(yva.var().item(), 4),
                                    "max_grad_norm": J(gmax), "diverged": not (math.isfinite(vm) and vm < yva.var().item())}))
