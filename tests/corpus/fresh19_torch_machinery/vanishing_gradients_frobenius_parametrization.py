# expect: vanishing_gradients
# allow: non_convergence, high_bias, poor_initialization, learning_rate_too_low
# forbid: *
# evidence: planted (gain 1 on the Frobenius-normalised weights) grad norm first layer 8.3e-07 vs last 1.0e-02 (ratio 1e-4), stuck at val_acc 0.100, loss 2.30; control (gain sqrt(out)) grads 2.0e-03 / 2.3e-03, val_acc 0.971, val_loss 0.124
# control: --control
"""Deep tanh MLP whose weights live on a fixed-norm sphere via
torch.nn.utils.parametrize (a weight-norm variant with a fixed gain)."""
import argparse
import json
import math
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
opts = ap.parse_args()
torch.manual_seed(7)
torch.set_num_threads(1)


class FixedNorm(nn.Module):
    """W -> gain * W / ||W||_F"""

    def __init__(self, gain):
        super().__init__()
        self.gain = gain

    def forward(self, W):
        return self.gain * W / W.norm()


def make_mlp(widths):
    mods = []
    for a, b in zip(widths[:-1], widths[1:]):
        lin = nn.Linear(a, b)
        # gain meant to give each output row roughly unit norm
        gain = math.sqrt(b) if opts.control else 1.0
        P.register_parametrization(lin, "weight", FixedNorm(gain))
        mods += [lin, nn.Tanh()]
    return nn.Sequential(*mods[:-1])


model = make_mlp([64, 96, 96, 96, 96, 96, 96, 10])

X, y = load_digits(return_X_y=True)
Xa, Xb, ya, yb = train_test_split(X, y, test_size=0.25, random_state=11, stratify=y)
m, s = Xa.mean(0), Xa.std(0)
s[s < 1e-2] = 1
Xa, Xb = [torch.tensor((v - m) / s, dtype=torch.float32) for v in (Xa, Xb)]
ya, yb = torch.tensor(ya), torch.tensor(yb)

opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
lossf = nn.CrossEntropyLoss()
for ep in range(25):
    model.train()
    order = torch.randperm(len(Xa))
    acc_loss = 0.0
    for j in range(0, len(order), 64):
        k = order[j:j + 64]
        opt.zero_grad()
        L = lossf(model(Xa[k]), ya[k])
        L.backward()
        opt.step()
        acc_loss += L.item() * len(k)
    model.eval()
    with torch.no_grad():
        o = model(Xb)
        val_loss = lossf(o, yb).item()
        val_acc = (o.argmax(-1) == yb).float().mean().item()
    print(f"[{ep}] train {acc_loss / len(Xa):.4f}  val {val_loss:.4f}  acc {val_acc:.3f}")

# probe: gradient norm of the first and last layer's underlying weight on a batch
opt.zero_grad()
lossf(model(Xa[:256]), ya[:256]).backward()
g_first = model[0].parametrizations.weight.original.grad.norm().item()
g_last = model[-1].parametrizations.weight.original.grad.norm().item()
print(f"grad norm first {g_first:.3e} last {g_last:.3e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(acc_loss / len(Xa), 4), "chance_acc": 0.1,
                                     "grad_first": g_first, "grad_last": g_last}))
