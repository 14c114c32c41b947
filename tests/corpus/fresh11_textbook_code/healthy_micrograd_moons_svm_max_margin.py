# expect:
# allow:
# forbid: *
# evidence: val accuracy 0.990 (train 0.993), val hinge loss 0.046 (chance acc 0.5); 3 of 16 layer-2 ReLUs (0.19) and 1 of 16 layer-1 (0.06) never fire on val -- normal for micrograd's U(-1,1) init, the net still separates the moons
"""micrograd demo notebook style, ported to torch tensors: make_moons, a 2-16-16-1 ReLU MLP held in a
plain list of tensors, an SVM "max-margin" loss mean(relu(1 - y*score)) + alpha*sum(p*p), full-batch
gradient descent with the notebook's linear lr decay `learning_rate = 1.0 - 0.9*k/100`, and the
notebook's print(f"step {k} loss {total_loss.data}, accuracy {acc*100}%"). Held-out moons for validation."""
import json, random
import numpy as np
import torch
from sklearn.datasets import make_moons

random.seed(1337); np.random.seed(1337); torch.manual_seed(1337)
torch.set_num_threads(1)

X, y = make_moons(n_samples=600, noise=0.12, random_state=1337)
y = y * 2 - 1  # make y be -1 or 1
Xtr, ytr = torch.tensor(X[:300], dtype=torch.float32), torch.tensor(y[:300], dtype=torch.float32)
Xva, yva = torch.tensor(X[300:], dtype=torch.float32), torch.tensor(y[300:], dtype=torch.float32)

# micrograd's Neuron: w ~ U(-1, 1), b = 0
def layer(nin, nout):
    return [torch.empty(nin, nout).uniform_(-1, 1).requires_grad_(), torch.zeros(nout, requires_grad=True)]
params = layer(2, 16) + layer(16, 16) + layer(16, 1)
print("number of parameters", sum(p.numel() for p in params))

def model(x):
    W1, b1, W2, b2, W3, b3 = params
    h = (x @ W1 + b1).relu()
    h = (h @ W2 + b2).relu()
    return (h @ W3 + b3).squeeze(1)   # linear output score

def loss_fn(Xb, yb):
    scores = model(Xb)
    losses = (1 + -yb * scores).relu()        # svm "max-margin" loss
    data_loss = losses.mean()
    alpha = 1e-4
    reg_loss = alpha * sum((p * p).sum() for p in params)
    total_loss = data_loss + reg_loss
    accuracy = ((yb > 0) == (scores > 0)).float().mean()
    return total_loss, accuracy.item()

for k in range(100):
    # forward
    total_loss, acc = loss_fn(Xtr, ytr)
    # backward
    for p in params:
        p.grad = None
    total_loss.backward()
    # update (sgd)
    learning_rate = 1.0 - 0.9 * k / 100
    for p in params:
        p.data -= learning_rate * p.grad
    if k % 5 == 0:
        with torch.no_grad():
            vloss, vacc = loss_fn(Xva, yva)
        print(f"step {k} loss {total_loss.item():.6f}, accuracy {acc*100:.1f}% | val loss {vloss.item():.6f}, val accuracy {vacc*100:.1f}%")

with torch.no_grad():
    tl, ta = loss_fn(Xtr, ytr)
    vl, va = loss_fn(Xva, yva)
    W1, b1, W2, b2, W3, b3 = params
    h1 = (Xva @ W1 + b1).relu(); h2 = (h1 @ W2 + b2).relu()
    print(f"ReLU units that never fire on val: layer1 {((h1 > 0).float().mean(0) == 0).float().mean().item():.2f}, "
          f"layer2 {((h2 > 0).float().mean(0) == 0).float().mean().item():.2f}")
print(f"final: train loss {tl.item():.4f} acc {ta:.3f} | val loss {vl.item():.4f} acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl.item(), 4), "val_acc": round(va, 4), "train_loss": round(tl.item(), 4),
      "train_acc": round(ta, 4), "chance_acc": 0.5}))
