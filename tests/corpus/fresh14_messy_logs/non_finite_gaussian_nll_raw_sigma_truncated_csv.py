"""Heteroscedastic regression (Friedman #1 with input-dependent noise): the net predicts a mean
and a variance and is trained with the Gaussian NLL log(sqrt(var)) + (y-mu)^2 / (2 var). Bug: var
is the raw linear output + 1 (no softplus/exp), so once it crosses 0 for some sample, sqrt(var)
and its gradient are NaN, the weights become NaN and so does everything after. The CSV writes NaN as 'NaN' for the loss and an EMPTY cell
for the val metric, and the job's NaN watchdog kills it mid-write, leaving a truncated last line."""
# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: planted (var = raw+1): nll finite until step 50, NaN from step 51 (weights become NaN), watchdog kills the run at step 110, final val_mse NaN; control (var = softplus(raw)+1e-3): 25 epochs, no NaN, val_mse 2.98 vs target variance 28.3
# control: --control
# native-log: nll_train.csv
# log-expect: non_finite
# log-allow: non_convergence
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import make_friedman1

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = make_friedman1(n_samples=1400, noise=0.0, random_state=1)
y = y + np.random.randn(len(y)) * (0.3 + 2.0 * X[:, 5])
X = (X - 0.5) / 0.29
ym, ys = y[:1000].mean(), y[:1000].std()
Xtr, Xva = torch.tensor(X[:1000], dtype=torch.float32), torch.tensor(X[1000:], dtype=torch.float32)
ytr, yva = torch.tensor((y[:1000] - ym) / ys, dtype=torch.float32), torch.tensor(y[1000:], dtype=torch.float32)
net = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
def forward(x):
    o = net(x); mu = o[:, 0]
    var = nn.functional.softplus(o[:, 1]) + 1e-3 if CONTROL else o[:, 1] + 1.0
    return mu, var
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
f = open(os.path.join(logdir, "nll_train.csv"), "w"); f.write("iter,nll,val_mse,mean_var\n")
fmt = lambda v: "NaN" if v != v else f"{v:.5f}"
step = 0; nan_steps = 0; first_nan = None; killed = False
for ep in range(25):
    perm = torch.randperm(1000)
    for i in range(0, 1000, 50):
        idx = perm[i:i + 50]
        mu, sg = forward(Xtr[idx])
        loss = (torch.log(sg.sqrt()) + (ytr[idx] - mu) ** 2 / (2 * sg)).mean()
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if loss.item() != loss.item():
            nan_steps += 1; first_nan = first_nan or step
        if step % 10 == 0:
            f.write(f"{step},{fmt(loss.item())},,{fmt(sg.mean().item())}\n")
        if nan_steps >= 60:
            f.write(f"{step},NaN,,Na"); killed = True; break   # watchdog kill mid-write
    if killed:
        break
    with torch.no_grad():
        mu, _ = forward(Xva); vm = nn.functional.mse_loss(mu * ys + ym, yva).item()
    f.write(f"{step},{fmt(loss.item())},{'' if vm != vm else f'{vm:.5f}'},{fmt(sg.mean().item())}\n")
f.close()
with torch.no_grad():
    mu, _ = forward(Xva); vm = nn.functional.mse_loss(mu * ys + ym, yva).item()
print(f"control={CONTROL} first_nan_step={first_nan} steps={step} val_mse={vm} target_var={yva.var().item():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": None if vm != vm else round(vm, 4), "target_var": round(yva.var().item(), 3), "first_nan_step": first_nan, "train_loss": None if loss.item() != loss.item() else round(loss.item(), 4)}))
