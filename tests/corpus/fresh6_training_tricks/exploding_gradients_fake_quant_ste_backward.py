# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, high_bias, dead_units
# forbid: *
# evidence: quantisation-aware MLP with a custom autograd.Function FakeQuant (step 0.1) after each of 5 hidden layers; its backward returns grad/step instead of the straight-through grad, so gradients grow x10 per layer toward the input; probe at step 0: first-Linear grad norm 1.31e+03 vs last 7.35e-02 (control: 1.31e-02 vs 7.35e-02); planted epoch-0 train_loss 2.65 then stuck at chance, val_acc 0.105, val_loss 2.305 (chance 0.10); --control (straight-through backward) val_acc 0.980, val_loss 0.062
# control: --control
"""Fake-quantised MLP (QAT style) with a hand-written straight-through estimator."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
K, DIM, STEP = 10, 32, 0.1


class FakeQuant(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, step):
        ctx.step = step
        return torch.clamp(torch.round(x / step), -127, 127) * step

    @staticmethod
    def backward(ctx, g):
        if CONTROL:
            return g, None                   # straight-through
        return g / ctx.step, None            # "chain rule through x/step" -- forgets the *step


class QLinear(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.lin = nn.Linear(i, o)

    def forward(self, x):
        return FakeQuant.apply(F.relu(self.lin(x)), STEP)


centers = torch.randn(K, DIM) * 0.8


def make(n):
    y = torch.randint(0, K, (n,))
    return centers[y] + torch.randn(n, DIM) * 0.9, y


xtr, ytr = make(4000)
xva, yva = make(1000)
model = nn.Sequential(QLinear(DIM, 128), *[QLinear(128, 128) for _ in range(4)], nn.Linear(128, K))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
step = 0
first_bad = None
for epoch in range(5):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        if step == 0:
            print(f"probe step0 grad norm first Linear {model[0].lin.weight.grad.norm():.2e} last Linear {model[-1].weight.grad.norm():.2e}")
        if first_bad is None and not torch.isfinite(loss):
            first_bad = step
            print(f"first non-finite loss at step {step}")
        opt.step()
        step += 1
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4g} val_loss {val_loss:.4g} val_acc {val_acc:.3f}")


def r(v):
    return round(v, 4) if v == v and abs(v) != float("inf") else None


print("CORPUS_METRIC " + json.dumps({"val_loss": r(val_loss), "val_acc": round(val_acc, 4), "train_loss": r(train_loss),
                                      "first_nonfinite_step": first_bad, "chance_acc": 1 / K}))
