"""TensorFlow-style port: variables in a list, a `GradientTape`-like context that is just
torch.autograd.grad on the list of tensors, optimizer.apply_gradients(zip(grads, vars)) with
Nesterov momentum written by hand. Small wine dataset, full-batch-ish steps."""
# expect:
# allow:
# forbid: *
# evidence: val_accuracy 1.00 on 45 held-out wine samples (3 classes, majority 0.40), val_loss 0.0026, train_loss 0.005 -- converged, tiny gradients at the end are normal
import json, math, random
import numpy as np, torch
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_wine(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

class Variable:
    def __init__(self, t, name): self.value, self.name = t, name
def glorot_uniform(a, b, g):
    lim = math.sqrt(6 / (a + b)); return (torch.rand(a, b, generator=g) * 2 - 1) * lim
g = torch.Generator().manual_seed(2024)
trainable_variables = [Variable(glorot_uniform(13, 32, g), "dense/kernel"), Variable(torch.zeros(32), "dense/bias"),
                       Variable(glorot_uniform(32, 3, g), "dense_1/kernel"), Variable(torch.zeros(3), "dense_1/bias")]

class GradientTape:
    def __enter__(self):
        for v in trainable_variables: v.value.requires_grad_(True)
        return self
    def __exit__(self, *a): return False
    def gradient(self, target, variables):
        return torch.autograd.grad(target, [v.value for v in variables])

class SGD:
    def __init__(self, learning_rate, momentum, nesterov=True):
        self.lr, self.m, self.nesterov, self.slots = learning_rate, momentum, nesterov, {}
    def apply_gradients(self, grads_and_vars):
        with torch.no_grad():
            for gr, v in grads_and_vars:
                buf = self.slots.setdefault(v.name, torch.zeros_like(gr))
                buf.mul_(self.m).add_(gr, alpha=-self.lr)
                upd = self.m * buf - self.lr * gr if self.nesterov else buf
                v.value = (v.value + upd).detach()

def model(x):
    h = torch.tanh(x @ trainable_variables[0].value + trainable_variables[1].value)
    return h @ trainable_variables[2].value + trainable_variables[3].value

optimizer = SGD(learning_rate=0.02, momentum=0.9)
gen = torch.Generator().manual_seed(9)
for epoch in range(60):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 16):
        idx = perm[i:i + 16]
        with GradientTape() as tape:
            loss = torch.nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
        grads = tape.gradient(loss, trainable_variables)
        optimizer.apply_gradients(zip(grads, trainable_variables))
    if epoch % 10 == 9:
        with torch.no_grad():
            lo = model(Xte); vl = torch.nn.functional.cross_entropy(lo, yte).item(); va = (lo.argmax(1) == yte).float().mean().item()
        print(f"Epoch {epoch+1}/60 - loss: {loss.item():.4f} - val_loss: {vl:.4f} - val_accuracy: {va:.4f}")
with torch.no_grad():
    tl = torch.nn.functional.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.4}))
