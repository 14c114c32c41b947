# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, overfitting, high_variance
# forbid: *
# evidence: torch.randn weights without /sqrt(fan_in): 82% / 81% of tanh outputs |h|>0.99, val acc 0.343 with train acc 0.88; control (scaled): 5% / 2% saturated, val acc 0.906
# control: --control
# "What is torch.nn really?"-style net from scratch, but two tanh hidden layers whose weights are
# created with plain torch.randn(fan_in, fan_out).requires_grad_() (the tutorial's "/ math.sqrt(784)"
# Xavier scaling left out). Inputs: 144-pixel glyph images, flattened. Manual SGD updates.
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
g = torch.Generator().manual_seed(0)


def make_glyphs(n):
    X = torch.zeros(n, 12, 12)
    y = torch.randint(0, 5, (n,), generator=g)
    for i in range(n):
        r, c = torch.randint(2, 8, (2,), generator=g).tolist()
        k, img = int(y[i]), X[i]
        if k == 0:
            img[r, c - 2:c + 3] = 1
        elif k == 1:
            img[r - 2:r + 3, c] = 1
        elif k == 2:
            img[r - 2:r + 3, c - 2] = 1; img[r - 2:r + 3, c + 2] = 1; img[r - 2, c - 2:c + 3] = 1; img[r + 2, c - 2:c + 3] = 1
        elif k == 3:
            img[r, c - 2:c + 3] = 1; img[r - 2:r + 3, c] = 1
        else:
            for d in range(-2, 3):
                img[r + d, c + d] = 1
    X += 0.25 * torch.randn(X.shape, generator=g)
    X = (X - 0.1) / 0.35
    return X.view(n, 144), y


x_train, y_train = make_glyphs(4000)
x_valid, y_valid = make_glyphs(1000)


def init(fan_in, fan_out):
    w = torch.randn(fan_in, fan_out)
    if CONTROL:
        w = w / math.sqrt(fan_in)
    return w.requires_grad_()


w1, b1 = init(144, 128), torch.zeros(128, requires_grad=True)
w2, b2 = init(128, 64), torch.zeros(64, requires_grad=True)
w3, b3 = init(64, 5), torch.zeros(5, requires_grad=True)
params = [w1, b1, w2, b2, w3, b3]


def model(xb, keep=None):
    h1 = torch.tanh(xb @ w1 + b1)
    h2 = torch.tanh(h1 @ w2 + b2)
    if keep is not None:
        keep.extend([h1, h2])
    return h2 @ w3 + b3


def saturation(x):
    hs = []
    with torch.no_grad():
        model(x, hs)
    return [(h.abs() > 0.99).float().mean().item() for h in hs]


print("fraction of tanh outputs with |h| > 0.99 at init (layer1, layer2):", saturation(x_valid))
lr, bs, n = 0.1, 64, len(x_train)
for epoch in range(20):
    perm = torch.randperm(n)
    for i in range((n - 1) // bs + 1):
        idx = perm[i * bs:(i + 1) * bs]
        loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
    with torch.no_grad():
        out = model(x_valid)
        vl, va = F.cross_entropy(out, y_valid).item(), (out.argmax(1) == y_valid).float().mean().item()
    print("epoch %d: loss %.4f  valid loss %.4f  valid acc %.4f  saturated %s" % (
        epoch, loss.item(), vl, va, ["%.2f" % s for s in saturation(x_valid)]))

sat = saturation(x_valid)
with torch.no_grad():
    out = model(x_train)
    tl, ta = F.cross_entropy(out, y_train).item(), (out.argmax(1) == y_train).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.2,
                                     "saturated_frac_layer1": round(sat[0], 3), "saturated_frac_layer2": round(sat[1], 3)}))
