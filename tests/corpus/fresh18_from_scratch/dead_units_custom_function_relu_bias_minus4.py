"""Custom torch.autograd.Function layers written by hand (Linear with its own backward, ReLU with
its own backward), 2 hidden layers on breast_cancer, Adam-free hand SGD.
Planted: the hidden biases are initialised to -4 ("so that units start sparse"), with He-scaled
weights on standardised inputs the pre-activations (std ~1.4) almost never exceed 4."""
# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: control (bias 0) val_acc 0.971, val_loss 0.131, 0% dead units; planted (bias -4) predicts the majority class: val_acc 0.626 (majority rate 0.627), val_loss 0.661, train loss 0.659; units that never fire on the training set: layer1 39%, layer2 92% from epoch 10 on
# control: --control
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

class LinearFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, W, b):
        ctx.save_for_backward(x, W)
        return x @ W + b
    @staticmethod
    def backward(ctx, g):
        x, W = ctx.saved_tensors
        return g @ W.T, x.T @ g, g.sum(0)

class ReLUFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        mask = x > 0
        ctx.save_for_backward(mask)
        return x * mask
    @staticmethod
    def backward(ctx, g):
        (mask,) = ctx.saved_tensors
        return g * mask

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

bias0 = 0.0 if CONTROL else -4.0
sizes = [30, 64, 64, 2]
Ws, bs_ = [], []
for fi, fo in zip(sizes[:-1], sizes[1:]):
    Ws.append((torch.randn(fi, fo) * (2 / fi) ** 0.5).requires_grad_())
    bs_.append(torch.full((fo,), bias0 if fo != 2 else 0.0).requires_grad_())
params = Ws + bs_

def forward(x, keep=None):
    for i in range(3):
        x = LinearFn.apply(x, Ws[i], bs_[i])
        if i < 2:
            x = ReLUFn.apply(x)
            if keep is not None: keep.append(x)
    return x

lr, bs, step = 0.05, 32, 0
for epoch in range(30):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        loss = -(torch.log_softmax(forward(Xtr[idx]), 1)[torch.arange(len(idx)), ytr[idx]]).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad; p.grad.zero_()
        step += 1
    with torch.no_grad():
        zv = forward(Xva); vl = torch.nn.functional.cross_entropy(zv, yva).item(); va = (zv.argmax(1) == yva).float().mean().item()
    if epoch % 10 == 0 or epoch == 29:
        acts = []
        with torch.no_grad(): forward(Xtr, acts)
        dead = [((a > 0).sum(0) == 0).float().mean().item() for a in acts]
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f} dead fraction per hidden layer {dead[0]:.2f} {dead[1]:.2f}")
with torch.no_grad():
    tl = torch.nn.functional.cross_entropy(forward(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.627, "dead_frac_l1": dead[0], "dead_frac_l2": dead[1]}))
