"""Full-batch gradient descent on a hand-written MSE, weights as plain tensors: linear regression on
hand-made polynomial features (degree 3) of a 1-D synthetic signal with known noise (sigma=0.3).
Full-batch GD gives a perfectly smooth, monotone loss curve that flattens at the noise floor."""
# expect:
# allow:
# forbid: *
# evidence: val_mse 0.1000 vs target variance 8.47 (R2 0.988) and noise variance 0.09 (sample noise ~0.10: train_mse 0.1001); loss falls monotonically and smoothly, flattening from ~iter 600
# native-log: gd_history.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

def make(n):
    x = torch.rand(n) * 4 - 2
    y = 0.5 * x ** 3 - x ** 2 + 0.8 * x + 1.0 + 0.3 * torch.randn(n)
    return x, y
xtr, ytr = make(400); xva, yva = make(400)
def feats(x):
    return torch.stack([x, x ** 2, x ** 3], 1)
Ftr, Fva = feats(xtr), feats(xva)
mu, sd = Ftr.mean(0), Ftr.std(0)
Ftr, Fva = (Ftr - mu) / sd, (Fva - mu) / sd

w = torch.zeros(3, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
mse = lambda p, t: ((p - t) ** 2).mean()
lr = 0.03
log = open(os.path.join(LOG_DIR, "gd_history.jsonl"), "w")
for it in range(1000):
    loss = mse(Ftr @ w + b, ytr)
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad; b -= lr * b.grad
        w.grad.zero_(); b.grad.zero_()
        vl = mse(Fva @ w + b, yva).item()
    if it % 10 == 0 or it == 999:
        log.write(json.dumps({"iter": it, "loss": loss.item(), "val_loss": vl, "lr": lr}) + "\n")
    if it % 100 == 0 or it == 999:
        print(f"iter {it} train_mse {loss.item():.5f} val_mse {vl:.5f}")
log.close()
print(f"noise variance (Bayes MSE) = {0.3**2:.4f}; target variance (val) = {yva.var().item():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "train_mse": loss.item(), "target_var": yva.var().item(), "bayes_mse": 0.09}))
