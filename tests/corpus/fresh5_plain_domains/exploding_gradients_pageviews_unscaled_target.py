# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted (raw page-view target): grad norm 1.1e4 -> 8.6e5 -> 2.7e18 over the first 3 steps, then ~1e8; the net ends predicting a constant (val_mse 2.36e7 = target variance 2.36e7, median rel. err 0.80); control (standardised log target): val_mse 5.1e6, median rel. err 0.20
# control: --control
"""Forecast tomorrow's page views for articles (tabular: section / weekday embeddings + 6
standardised numeric features). Inputs are scaled, but the *target* is raw page views
(hundreds to tens of thousands) regressed with MSE under SGD+momentum: the first gradients
are already ~1e4x larger than the weights can take, the updates overshoot, and the gradient
norm grows step after step until it overflows. Control: regress standardised log-views
(and invert the transform for the metric)."""
import argparse
import json
import math
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(21)
torch.set_num_threads(1)


def articles(n, g):
    section = torch.randint(0, 8, (n,), generator=g)
    weekday = torch.randint(0, 7, (n,), generator=g)
    num = torch.randn(n, 6, generator=g)  # already standardised: shares, words, age, ...
    sec_eff = torch.tensor([0.5, -0.3, 0.9, 0.1, -0.8, 0.3, 0.0, 1.2])
    day_eff = torch.tensor([0.1, 0.0, 0.0, 0.05, -0.1, -0.4, -0.5])
    logv = 7.5 + sec_eff[section] + day_eff[weekday] + 0.6 * num[:, 0] - 0.4 * num[:, 2] + 0.3 * num[:, 1] * num[:, 3] \
        + 0.25 * torch.randn(n, generator=g)
    return section, weekday, num, torch.exp(logv)


g = torch.Generator().manual_seed(0)
s_tr, d_tr, x_tr, v_tr = articles(5000, g)
s_va, d_va, x_va, v_va = articles(1500, g)


class ViewsNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.sec = nn.Embedding(8, 4)
        self.day = nn.Embedding(7, 3)
        self.mlp = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, s, d, x):
        return self.mlp(torch.cat([self.sec(s), self.day(d), x], 1)).squeeze(1)


if args.control:
    lmu, lsd = v_tr.log().mean(), v_tr.log().std()
    to_target = lambda v: (v.log() - lmu) / lsd
    from_pred = lambda p: torch.exp(p * lsd + lmu)
else:
    to_target = lambda v: v
    from_pred = lambda p: p

net = ViewsNet()
opt = torch.optim.SGD(net.parameters(), lr=2e-3, momentum=0.9)
mse = nn.MSELoss()
step = 0
for epoch in range(10):
    perm = torch.randperm(5000)
    for b in range(0, 5000, 100):
        j = perm[b:b + 100]
        loss = mse(net(s_tr[j], d_tr[j], x_tr[j]), to_target(v_tr[j]))
        opt.zero_grad()
        loss.backward()
        gn = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters())).item()
        opt.step()
        step += 1
        if step <= 8 or step % 25 == 0:
            print(f"step {step} loss {loss.item():.4g} grad_norm {gn:.3g}")
    with torch.no_grad():
        pv = from_pred(net(s_va, d_va, x_va))
        val_mse = ((pv - v_va) ** 2).mean().item()
        val_rel = ((pv - v_va).abs() / v_va).median().item()
        tr_mse = ((from_pred(net(s_tr, d_tr, x_tr)) - v_tr) ** 2).mean().item()
    print(f"epoch {epoch+1} val_mse(views^2) {val_mse:.4g} median_rel_err {val_rel:.3f}")


def f(v):
    return float(f"{v:.6g}") if math.isfinite(v) else str(v)


print("CORPUS_METRIC " + json.dumps({"val_mse": f(val_mse), "train_loss": f(tr_mse), "target_var": f(v_va.var().item()),
                                     "median_rel_err": f(val_rel)}))
