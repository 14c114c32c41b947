# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, poor_initialization, learning_rate_too_low
# forbid: *
# evidence: control (ReLU, same depth/He init/SGD lr 0.01) val_acc 0.973, val_loss 0.134, first/last layer grad-norm ratio 5.6; planted (sigmoid) per-layer grad norms fall from 6.2e-01 (output layer) to 1.5e-05 (first layer), ratio 2.5e-05, loss stuck at 2.30, val_acc 0.100 (chance 0.10)
# control: --control
"""A 10-hidden-layer sigmoid MLP on digits, trained with a while-loop over a step budget
(600 steps, SGD momentum) and evaluated every 100 steps (not per epoch), step count printed.
Per-layer gradient norms are probed at the evaluation points. Planted cause: deep plain
sigmoid stack. --control swaps the sigmoid for ReLU (same depth, same He init, same
optimiser)."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
Act = nn.ReLU if CONTROL else nn.Sigmoid

X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=3, stratify=y)
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))

layers, d = [], 64
for _ in range(10):
    layers += [nn.Linear(d, 64), Act()]; d = 64
layers.append(nn.Linear(64, 10))
model = nn.Sequential(*layers)
for m in model:
    if isinstance(m, nn.Linear):  # He init for every layer, both runs
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu"); nn.init.zeros_(m.bias)
linears = [m for m in model if isinstance(m, nn.Linear)]
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
lossf = nn.CrossEntropyLoss()

step, epoch, BUDGET, EVAL_EVERY, BS = 0, 0, 600, 100, 32
perm, pos = torch.randperm(len(Xtr)), 0
while step < BUDGET:
    if pos >= len(Xtr):
        perm, pos, epoch = torch.randperm(len(Xtr)), 0, epoch + 1
    idx = perm[pos:pos + BS]; pos += BS
    loss = lossf(model(Xtr[idx]), ytr[idx])
    opt.zero_grad(); loss.backward()
    step += 1
    if step % EVAL_EVERY == 0:
        g = [l.weight.grad.norm().item() for l in linears]
        with torch.no_grad():
            out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        print(f"step {step} (epoch {epoch}) train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f} "
              f"grad_norm first {g[0]:.2e} last {g[-1]:.2e} ratio {g[0] / g[-1]:.1e}")
    opt.step()
print("per-layer grad norms (input->output): " + " ".join(f"{v:.1e}" for v in g))
with torch.no_grad():
    tl = lossf(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.1, "grad_first_over_last": float(f"{g[0] / g[-1]:.3g}")}))
