"""Raw-tensor MLP regression on diabetes (hand-written MSE), mini-batch SGD over index permutations.
Planted: the hand-written update forgets `p.grad.zero_()`, so .grad accumulates the sum of all
past mini-batch gradients and every update uses that ever-growing sum."""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, dead_units
# forbid: *
# evidence: control (grads zeroed) val_mse 0.522 (target var 0.80), grad norm stays 0.9-4.0; planted: the accumulated .grad norm grows 22 -> 34 -> 40 -> 58 -> 101 over epochs 0-7, loss 1.2 -> 12.3, val_mse 1.50 -> 28.7, then NaN from epoch 8 on
# control: --control
# native-log: train.txt
# log-expect:
# log-allow: exploding_gradients, non_finite, learning_rate_too_high, non_convergence
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_diabetes(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0)
mu, sd = Xtr.mean(0), Xtr.std(0); ym, ys = ytr.mean(), ytr.std()
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor((ytr - ym) / ys, dtype=torch.float32); yva = torch.tensor((yva - ym) / ys, dtype=torch.float32)

W1 = (torch.randn(10, 32) * (2 / 10) ** 0.5).requires_grad_(); b1 = torch.zeros(32, requires_grad=True)
W2 = (torch.randn(32, 1) * (1 / 32) ** 0.5).requires_grad_(); b2 = torch.zeros(1, requires_grad=True)
params = [W1, b1, W2, b2]
fwd = lambda x: (torch.relu(x @ W1 + b1) @ W2 + b2).squeeze(1)
mse = lambda a, b: ((a - b) ** 2).mean()
lr, bs, step = 0.01, 16, 0
log = open(os.path.join(LOG_DIR, "train.txt"), "w")
EPOCHS = 30
for epoch in range(EPOCHS):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        loss = mse(fwd(Xtr[idx]), ytr[idx])
        loss.backward()
        gnorm = torch.sqrt(sum((p.grad ** 2).sum() for p in params)).item()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                if CONTROL:
                    p.grad.zero_()
        step += 1
        if step % 5 == 0:
            log.write(f"step {step} epoch {epoch} loss {loss.item():.5f} grad_norm {gnorm:.4e} lr {lr}\n")
    with torch.no_grad():
        vl = mse(fwd(Xva), yva).item()
    log.write(f"epoch {epoch} val_loss {vl:.5f}\n")
    print(f"epoch {epoch} loss {loss.item():.4f} grad_norm(.grad) {gnorm:.3e} val_mse {vl:.4f}")
log.close()
with torch.no_grad():
    tl = mse(fwd(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": vl, "train_mse": tl, "target_var": float(yva.var())}))
