# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: planted (no clipping): step-0 grad norm 774, step-1 loss 2.3e36 and grad inf, NaN from step 2 on (val_mse NaN); control (clip_grad_norm_ 1.0) trains to val_mse 0.109, train 0.108 vs target_var 0.334
# control: --control
# IRNN (ReLU RNN, identity recurrent init, Le et al. 2015) on a masked-sum task (add the values whose marker is 1, T=40).  The recipe needs gradient
# clipping; it was left out here.  --control: clip_grad_norm_(1.0), nothing else changed.
import json, sys
import torch
import torch.nn as nn

CLIP = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(0)
T, H = 40, 48
g = torch.Generator().manual_seed(1)


def adding(n):
    vals = torch.rand(n, T, generator=g)
    marks = (torch.rand(n, T, generator=g) < 0.3).float()
    return torch.stack([vals, marks], -1), (vals * marks).sum(1) / 3


class IRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(2, H, nonlinearity="relu", batch_first=True)
        nn.init.eye_(self.rnn.weight_hh_l0)
        nn.init.normal_(self.rnn.weight_ih_l0, std=0.1)
        nn.init.zeros_(self.rnn.bias_hh_l0); nn.init.zeros_(self.rnn.bias_ih_l0)
        self.out = nn.Linear(H, 1)

    def forward(self, x):
        return self.out(self.rnn(x)[0][:, -1]).squeeze(-1)


xtr, ytr = adding(3000)
xva, yva = adding(500)
model = IRNN()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.MSELoss()
max_gn = 0.0
for epoch in range(12):
    perm = torch.randperm(len(xtr))
    gns = []
    for i in range(0, len(xtr), 50):
        b = perm[i:i + 50]
        loss = crit(model(xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0 if CLIP else float("inf")).item()
        gns.append(gn)
        if epoch == 0 and i // 50 < 12:
            print(f"  step {i // 50:2d} loss {loss.item():.4g} grad-norm {gn:.4g}")
        opt.step()
    max_gn = max(max_gn, max(gns))
    with torch.no_grad():
        vm = crit(model(xva), yva).item()
        tm = crit(model(xtr), ytr).item()
    print(f"epoch {epoch:2d} train_mse {tm:.4g} val_mse {vm:.4g} grad-norm median {sorted(gns)[len(gns)//2]:.3g} max {max(gns):.3g}")

print("CORPUS_METRIC " + json.dumps({"val_mse": vm, "train_mse": tm, "target_var": round(yva.var().item(), 4),
                                      "val_loss": vm, "train_loss": tm, "max_grad_norm": max_gn}))
