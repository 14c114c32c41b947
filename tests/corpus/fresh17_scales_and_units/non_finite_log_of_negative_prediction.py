# expect: non_finite
# allow: non_convergence
# forbid: *
# evidence: planted: loss 2.37 -> 1.51 then log(pred<=0) gives NaN from step 528 (epoch 17) on, val_loss NaN at the end; control (softplus(out)+1): no non-finite value, val log-space mse 0.89 (target log-var 2.12)
# control: --control
# native-log: logtarget/train.csv
# log-expect: non_finite
# log-allow: non_convergence
"""Log-scale targets: claim sizes y ~ 1e2..1e5 dollars; the loss is MSE between log(pred) and log(y), where
pred comes straight out of a Linear layer (a 'linear output for regression' habit). As soon as a prediction
is <= 0, log(pred) is NaN and it poisons the weights. Control: pred = softplus(linear) + 1 (strictly positive, >= $1)."""
import os, sys, json, random, tempfile, csv, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "logtarget"), exist_ok=True)
g = torch.Generator().manual_seed(0)
def sample(n):
    X = torch.randn(n, 7, generator=g)
    logy = 7.0 + 1.2 * X[:, 0] - 0.8 * X[:, 1] + 0.5 * X[:, 2] * X[:, 3] + 0.3 * torch.randn(n, generator=g)
    return X, logy.exp().unsqueeze(1)
Xtr, ytr = sample(1500); Xva, yva = sample(500)
model = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 1))
with torch.no_grad(): model[2].bias.fill_(1100.0)   # start near the median claim (~e^7)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
def predict(x):
    out = model(x)
    return nn.functional.softplus(out) + 1.0 if CONTROL else out
f = open(os.path.join(LOG_DIR, "logtarget", "train.csv"), "w", newline=""); w = csv.writer(f); w.writerow(["epoch", "step", "train_loss", "val_loss"])
step = 0; first_nan = None
for epoch in range(25):
    perm = torch.randperm(1500); tot = 0.0
    for i in range(0, 1500, 50):
        idx = perm[i:i + 50]
        loss = ((torch.log(predict(Xtr[idx])) - torch.log(ytr[idx])) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
        if first_nan is None and not math.isfinite(loss.item()): first_nan = step
    with torch.no_grad(): vl = ((torch.log(predict(Xva)) - torch.log(yva)) ** 2).mean().item()
    w.writerow([epoch, step, tot / 1500, vl]); f.flush()
    print(f"epoch {epoch:2d} train_loss(log-space mse) {tot / 1500:.4f} val_loss {vl:.4f}")
f.close()
print(f"first non-finite loss at step {first_nan}")
J = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_mse_log": J(vl), "val_loss": J(vl), "target_var_log": round(torch.log(yva).var().item(), 4), "noise_var_log": 0.09,
                                    "first_nan_step": first_nan}))
