# expect: vanishing_gradients
# allow: non_convergence, saturated_activations, poor_initialization, learning_rate_too_low, high_bias
# forbid: *
# evidence: 10 sigmoid layers (he init from the template): grad norm of lin0 ~7e-6 vs lin9 ~0.2 (ratio 3e-5) every epoch, loss stuck at 2.317, val_acc 0.086 (chance 0.10); control (same net with ReLU) grad ratio ~6, val_acc 0.967, val_loss 0.108
# control: --control
import sys, json, random
from collections import OrderedDict
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
Act = nn.Sigmoid if "--control" not in sys.argv else nn.ReLU   # "sigmoid like in the lecture"
DEPTH, W = 10, 64

layers = OrderedDict()
d_in = 64
for i in range(DEPTH):
    layers[f"lin{i}"] = nn.Linear(d_in, W)
    layers[f"act{i}"] = Act()
    d_in = W
layers["out"] = nn.Linear(W, 10)
net = nn.Sequential(layers)
for m in net.modules():            # "he init" from the template, same for every run
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu"); nn.init.zeros_(m.bias)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3).astype(np.float32)
p = np.random.permutation(len(X))
tr, va = p[:1400], p[1400:]
Xtr, ytr, Xva, yva = map(torch.from_numpy, (X[tr], y[tr], X[va], y[va]))

opt = torch.optim.SGD(net.parameters(), lr=0.02, momentum=0.9)
ce = nn.CrossEntropyLoss()
for ep in range(8):
    perm = torch.randperm(len(Xtr)); L = []
    for i in range(0, len(Xtr), 32):
        b = perm[i:i+32]
        loss = ce(net(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward()
        gn = [layers[f"lin{k}"].weight.grad.norm().item() for k in range(DEPTH)]
        opt.step(); L.append(loss.item())
    with torch.no_grad():
        o = net(Xva); vl = ce(o, yva).item(); acc = (o.argmax(1) == yva).float().mean().item()
    print(f"ep {ep} loss {np.mean(L):.4f} val {vl:.4f} acc {acc:.3f} | grad lin0 {gn[0]:.2e} lin{DEPTH-1} {gn[-1]:.2e} ratio {gn[0]/max(gn[-1], 1e-30):.1e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": float(np.mean(L)), "chance_acc": 0.1,
                                     "grad_norm_first": gn[0], "grad_norm_last": gn[-1]}))
