# expect:
# allow:
# forbid: *
# evidence: ensemble val_mse 2.40 vs target variance 100.7 (noise floor 2.25)
"""Deep ensemble of 5 small MLPs trained *in parallel* with torch.func: parameters stacked
with stack_module_state, forward via vmap(functional_call), one Adam over the stacked
tensors, each member seeing its own bootstrap minibatch. Task: predicting concrete
compressive strength-like targets from 8 mix-design features. Metric: ensemble-mean val MSE."""
import copy
import json
import torch
import torch.nn as nn
from torch.func import functional_call, stack_module_state, vmap

torch.manual_seed(25)
torch.set_num_threads(1)
E = 5


def mixes(n, g):
    X = torch.rand(n, 8, generator=g)
    cement, slag, ash, water, sp, coarse, fine, age = X.T
    wc = (water + 0.3) / (cement + 0.5 * slag + 0.3 * ash + 0.3)
    strength = 60 * torch.exp(-1.2 * wc) * torch.log1p(8 * age + 0.2) / 2.2 + 6 * sp - 4 * (fine - coarse) ** 2
    y = strength + 1.5 * torch.randn(n, generator=g)
    return X, y


g = torch.Generator().manual_seed(0)
Xtr, ytr = mixes(3000, g)
Xva, yva = mixes(1000, g)
xm, xs = Xtr.mean(0), Xtr.std(0)
ym, ys = ytr.mean(), ytr.std()
Xtr_n, Xva_n = (Xtr - xm) / xs, (Xva - xm) / xs


def make():
    return nn.Sequential(nn.Linear(8, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))


members = [make() for _ in range(E)]
params, buffers = stack_module_state(members)
base = copy.deepcopy(members[0]).to("meta")


def f(p, b, x):
    return functional_call(base, (p, b), (x,)).squeeze(-1)


ens = vmap(f)                      # different data per member
ens_same = vmap(f, in_dims=(0, 0, None))  # same data for all members

opt = torch.optim.Adam(list(params.values()), lr=3e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=400, gamma=0.3)
for step in range(1, 1001):
    idx = torch.randint(0, len(ytr), (E, 64))  # bootstrap minibatches, one per member
    xb, yb = Xtr_n[idx], (ytr[idx] - ym) / ys
    loss = ((ens(params, buffers, xb) - yb) ** 2).mean(1).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 100 == 0:
        with torch.no_grad():
            pv = ens_same(params, buffers, Xva_n) * ys + ym
            member_mse = ((pv - yva) ** 2).mean(1)
            ens_mse = ((pv.mean(0) - yva) ** 2).mean().item()
        print(f"step {step} loss/member {loss.item()/E:.4f} val_mse members {[round(v, 2) for v in member_mse.tolist()]} ensemble {ens_mse:.3f}")

with torch.no_grad():
    pt = ens_same(params, buffers, Xtr_n).mean(0) * ys + ym
    tr_mse = ((pt - ytr) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(ens_mse, 4), "val_loss": round(ens_mse, 4), "train_loss": round(tr_mse, 4),
                                     "target_var": round(yva.var().item(), 4), "noise_var": 2.25}))
