# expect:
# allow:
# forbid: *
# evidence: healthy; batch size 2, log-space MSE: step loss in epoch 0 has std 1.18 and spikes to 12.2, later std ~0.1; val_mse_log 0.147 -> 0.119 vs target var 2.55 (R^2 0.95) and noise var 0.0625; median relative error in raw counts 0.22
# native-log: tb_logtarget
# log-expect:
# log-allow:
"""Predicting log(y) for web-page view counts (y ~ 50..50000) with MSE in log space, batch size 2 and
plain SGD (lr 0.01), 3 epochs over 600 pages = 900 noisy steps. Logged to TensorBoard as a running mean
of the step loss plus a per-epoch val loss; the reported quality is also converted back to raw counts
(median relative error)."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
g = torch.Generator().manual_seed(0)
D = 6
def sample(n):
    X = torch.randn(n, D, generator=g)
    logy = 7.0 + 1.3 * X[:, 0] + 0.7 * X[:, 1] - 0.5 * X[:, 2] + 0.4 * torch.tanh(2 * X[:, 3]) + 0.25 * torch.randn(n, generator=g)
    return X, logy.unsqueeze(1)
Xtr, ytr = sample(600); Xva, yva = sample(400)
model = nn.Sequential(nn.Linear(D, 16), nn.Tanh(), nn.Linear(16, 1))
with torch.no_grad(): model[2].bias.fill_(ytr.mean().item())
opt = torch.optim.SGD(model.parameters(), lr=0.01)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_logtarget"))
step = 0; run = []
for epoch in range(3):
    perm = torch.randperm(600)
    for i in range(0, 600, 2):
        idx = perm[i:i + 2]; loss = ((model(Xtr[idx]) - ytr[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; run.append(loss.item())
        if step % 20 == 0: tb.add_scalar("train/mse_log", float(np.mean(run[-20:])), step)
    with torch.no_grad(): vl = ((model(Xva) - yva) ** 2).mean().item(); trl = ((model(Xtr) - ytr) ** 2).mean().item()
    tb.add_scalar("val/mse_log", vl, step)
    R = np.array(run[-300:])
    print(f"epoch {epoch} step-loss mean {R.mean():.3f} std {R.std():.3f} max {R.max():.2f} | train_mse_log {trl:.4f} val_mse_log {vl:.4f}")
tb.close()
with torch.no_grad(): rel = ((model(Xva).exp() - yva.exp()).abs() / yva.exp()).median().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(trl, 4), "target_var": round(yva.var().item(), 4), "noise_var": 0.0625,
                                    "val_median_rel_err_counts": round(rel, 4)}))
