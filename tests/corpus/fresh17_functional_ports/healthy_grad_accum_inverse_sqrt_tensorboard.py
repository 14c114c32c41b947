"""t5x/flax habit: gradient accumulation over 4 micro-batches written by hand (sum of grads from
torch.autograd.grad, then averaged), `rsqrt` schedule with linear warm-up (lr = peak * min(step/warm,
sqrt(warm/step))), optax.adamw-like update in a dict, a small 1D-conv model called via
torch.func.functional_call. TensorBoard tags train/loss, train/learning_rate, eval/loss, eval/accuracy."""
# expect:
# allow:
# forbid: *
# evidence: eval/accuracy 0.998 on 600 held-out noisy waveforms (4 classes, chance 0.25), eval/loss 0.157 still decreasing, train loss 0.155; loss flat-ish during the 40-step warm-up
# native-log: tb_accum
# log-expect:
# log-allow:
import os, json, math, random, tempfile
import numpy as np, torch, torch.nn as nn
from torch.func import functional_call
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(LOG_DIR, "tb_accum"))
dkey = torch.Generator().manual_seed(5)
L = 64
def make(n):
    y = torch.randint(0, 4, (n,), generator=dkey)
    t = torch.arange(L).float()
    f = torch.tensor([3.0, 5.0, 8.0, 12.0])[y].unsqueeze(1)
    ph = torch.rand(n, 1, generator=dkey) * 2 * math.pi
    x = torch.sin(2 * math.pi * f * t / L + ph) + 0.8 * torch.randn(n, L, generator=dkey)
    return x.unsqueeze(1), y
Xtr, ytr = make(2000); Xte, yte = make(600)

model = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                      nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))
params = {k: v.detach().clone() for k, v in model.named_parameters()}
opt = {"m": {k: torch.zeros_like(v) for k, v in params.items()}, "v": {k: torch.zeros_like(v) for k, v in params.items()}, "t": 0}
PEAK, WARM, WD, ACCUM, MICRO = 3e-3, 40, 1e-4, 4, 16
def lr_at(step): return PEAK * min((step + 1) / WARM, math.sqrt(WARM / (step + 1)))
gen = torch.Generator().manual_seed(6); step = 0
for epoch in range(4):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr) - ACCUM * MICRO + 1, ACCUM * MICRO):
        acc = {k: torch.zeros_like(v) for k, v in params.items()}; tot = 0.0
        for j in range(ACCUM):
            idx = perm[i + j * MICRO: i + (j + 1) * MICRO]
            p = {k: v.requires_grad_(True) for k, v in params.items()}
            loss = nn.functional.cross_entropy(functional_call(model, p, (Xtr[idx],)), ytr[idx])
            for k, g in zip(p, torch.autograd.grad(loss, list(p.values()))): acc[k] += g / ACCUM
            tot += loss.item() / ACCUM
        lr = lr_at(step); opt["t"] += 1; t = opt["t"]
        with torch.no_grad():
            for k in params:
                opt["m"][k] = 0.9 * opt["m"][k] + 0.1 * acc[k]; opt["v"][k] = 0.98 * opt["v"][k] + 0.02 * acc[k] ** 2
                upd = (opt["m"][k] / (1 - 0.9 ** t)) / ((opt["v"][k] / (1 - 0.98 ** t)).sqrt() + 1e-9)
                params[k] = (params[k] - lr * (upd + WD * params[k])).detach()
        step += 1
        writer.add_scalar("train/loss", tot, step); writer.add_scalar("train/learning_rate", lr, step)
        if step % 25 == 0:
            with torch.no_grad():
                lo = functional_call(model, params, (Xte,)); el = nn.functional.cross_entropy(lo, yte).item(); ea = (lo.argmax(1) == yte).float().mean().item()
            writer.add_scalar("eval/loss", el, step); writer.add_scalar("eval/accuracy", ea, step)
            print(f"[step {step}] train_loss={tot:.4f} learning_rate={lr:.2e} eval_loss={el:.4f} eval_accuracy={ea:.4f}")
writer.close()
with torch.no_grad():
    lo = functional_call(model, params, (Xte,)); el = nn.functional.cross_entropy(lo, yte).item(); ea = (lo.argmax(1) == yte).float().mean().item()
    tl = nn.functional.cross_entropy(functional_call(model, params, (Xtr,)), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
