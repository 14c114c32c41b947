# expect: vanishing_gradients
# allow: non_convergence, saturated_activations, high_bias, learning_rate_too_low
# forbid: *
# evidence: 8 sigmoid hidden layers: |dL/dW1| / |dL/dW_out| = 9.9e-6, val acc 0.318 (majority 0.337), loss stuck at 1.32; control ReLU+He: ratio 0.52, val acc 0.819
# control: --control
# A deep (8 hidden layers) fully-connected net built from raw weight tensors, textbook style:
# sigmoid hidden units, hand-written forward, manual SGD (no optimizer). Labels from a teacher net.
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
act = torch.relu if CONTROL else torch.sigmoid
gain = math.sqrt(2.0) if CONTROL else 1.0          # He init for ReLU, Xavier-ish for sigmoid

D, H, C, L = 16, 64, 4, 8
tW1, tW2 = torch.randn(D, 8) * 0.6, torch.randn(8, C)
x_all = torch.randn(7000, D)
y_all = torch.argmax(torch.tanh(x_all @ tW1) @ tW2, 1)
x_train, y_train, x_valid, y_valid = x_all[:6000], y_all[:6000], x_all[6000:], y_all[6000:]

sizes = [D] + [H] * L + [C]
weights, biases = [], []
for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
    weights.append((torch.randn(fan_in, fan_out) * gain / math.sqrt(fan_in)).requires_grad_())
    biases.append(torch.zeros(fan_out, requires_grad=True))


def model(xb):
    h = xb
    for W, b in zip(weights[:-1], biases[:-1]):
        h = act(h @ W + b)
    return h @ weights[-1] + biases[-1]


lr, bs, n = 0.1, 64, len(x_train)
grad_first, grad_last = [], []
for epoch in range(12):
    for i in range((n - 1) // bs + 1):
        xb, yb = x_train[i * bs:(i + 1) * bs], y_train[i * bs:(i + 1) * bs]
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        grad_first.append(weights[0].grad.norm().item())
        grad_last.append(weights[-1].grad.norm().item())
        with torch.no_grad():
            for p in weights + biases:
                p -= lr * p.grad
                p.grad.zero_()
    with torch.no_grad():
        out = model(x_valid)
        vl, va = F.cross_entropy(out, y_valid).item(), (out.argmax(1) == y_valid).float().mean().item()
    print("epoch %2d  loss %.4f  valid loss %.4f  valid acc %.4f  |grad W1| %.2e  |grad W_out| %.2e" % (
        epoch, loss.item(), vl, va, grad_first[-1], grad_last[-1]))

g1 = sum(grad_first[:50]) / 50
gL = sum(grad_last[:50]) / 50
print("gradient probe (first 50 steps): |dL/dW1| %.2e vs |dL/dW_out| %.2e, ratio %.1e" % (g1, gL, g1 / gL))
with torch.no_grad():
    tl = F.cross_entropy(model(x_train), y_train).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(torch.bincount(y_valid).max().item() / len(y_valid), 4),
                                     "grad_ratio_first_to_last": float("%.3g" % (g1 / gL))}))
