# expect:
# allow:
# forbid: *
# evidence: EMA model val_mse 0.061 vs target variance 1.39 (R^2 ~0.96; noise variance 0.04), train_mse 0.052; per-step batch loss (batch 8) is noisy by design
"""Synthetic regression with a hand-written autograd.Function (Swish with an
analytic backward, checked with gradcheck) and an EMA copy of the weights
kept with torch.optim.swa_utils.AveragedModel. Batches of 8, so the
per-step loss is noisy; the EMA model is what gets evaluated."""
import json
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

torch.manual_seed(5)
torch.set_num_threads(1)


class SwishFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        return g * (s + x * s * (1 - s))


class Swish(nn.Module):
    def forward(self, x):
        return SwishFn.apply(x)


assert torch.autograd.gradcheck(SwishFn.apply, (torch.randn(6, 3, dtype=torch.double, requires_grad=True),))

gen = torch.Generator().manual_seed(3)
n, d = 3000, 8
X = torch.randn(n, d, generator=gen)
W1 = torch.randn(d, 4, generator=gen) / d ** 0.5
target = torch.tanh(X @ W1).sum(1) + 0.3 * X[:, 2] * X[:, 5]
Y = (target + 0.2 * torch.randn(n, generator=gen)).unsqueeze(1)
Xtr, Ytr, Xva, Yva = X[:2400], Y[:2400], X[2400:], Y[2400:]

model = nn.Sequential(nn.Linear(d, 64), Swish(), nn.Linear(64, 64), Swish(), nn.Linear(64, 1))
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.995))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()

step = 0
for epoch in range(8):
    model.train()
    for idx in torch.randperm(len(Xtr), generator=gen).split(8):
        loss = loss_fn(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema.update_parameters(model)
        step += 1
        if step % 100 == 0:
            print(f"step {step} batch_mse {loss.item():.4f}")
    with torch.no_grad():
        tr = loss_fn(ema(Xtr), Ytr).item()
        va = loss_fn(ema(Xva), Yva).item()
        va_raw = loss_fn(model(Xva), Yva).item()
    print(f"epoch {epoch} ema_train_mse {tr:.4f} ema_val_mse {va:.4f} raw_val_mse {va_raw:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(va, 4), "train_mse": round(tr, 4),
                                     "target_var": round(Yva.var().item(), 4), "noise_var": 0.04}))
