# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, poor_initialization, dead_units
# forbid: *
# evidence: planted (no clipping): pre-clip grad norm peaks at 2.7e7, the ReLU RNN blows up and ends at val_mse 0.165 = predict-the-mean baseline 0.165; control (clip 1.0): max grad norm 1.3e2, val_mse 0.058
# control: --control
# IRNN (Le, Jaitly & Hinton 2015: ReLU RNN with identity-initialised recurrent weights) on the
# adding problem, T=25. The paper's recipe relies on gradient clipping; this script forgot it
# (the clip line was dropped when the training loop was refactored into train_step()).
# --control: restores clip_grad_norm_(..., 1.0). Same lr, same init, same data.
import json
import sys
import torch
import torch.nn as nn

CLIP = "--control" in sys.argv
torch.manual_seed(3)
torch.set_num_threads(1)
T = 25


def adding_batch(n):
    vals = torch.rand(n, T)
    marks = torch.zeros(n, T)
    for i in range(n):
        a, b = torch.randperm(T // 2)[:1].item(), T // 2 + torch.randperm(T // 2)[:1].item()
        marks[i, a] = marks[i, b] = 1
    x = torch.stack([vals, marks], -1)
    return x, (vals * marks).sum(1, keepdim=True)


class IRNN(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.rnn = nn.RNN(2, hidden, nonlinearity="relu", batch_first=True)
        nn.init.eye_(self.rnn.weight_hh_l0)
        nn.init.zeros_(self.rnn.bias_hh_l0)
        nn.init.zeros_(self.rnn.bias_ih_l0)
        nn.init.normal_(self.rnn.weight_ih_l0, std=0.1)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1])


model = IRNN()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
lossf = nn.MSELoss()


def train_step(x, y):
    pred = model(x)
    loss = lossf(pred, y)
    opt.zero_grad()
    loss.backward()
    gn = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters()))
    if CLIP:
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss.item(), gn.item()


xv, yv = adding_batch(500)
max_gn = 0.0
for step in range(600):
    x, y = adding_batch(50)
    l, gn = train_step(x, y)
    max_gn = max(max_gn, gn) if gn == gn else float("inf")
    if step % 50 == 0 or step == 599:
        with torch.no_grad():
            vm = lossf(model(xv), yv).item()
        print(f"step {step:3d} mse {l:.4f} grad_norm {gn:.3e} val_mse {vm:.4f}")

print(f"max pre-clip grad norm {max_gn:.3e}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(l, 4), "target_var": round(yv.var().item(), 4),
                                     "baseline_mse_predict_1": round(lossf(torch.ones_like(yv), yv).item(), 4)}))
