# expect:
# allow:
# forbid: *
# evidence: val count MSE 0.64 vs count variance 7.39 (R^2 0.91), 60% of windows counted exactly; val Poisson NLL 1.35 <= train 1.39
"""Counting vehicles passing a roadside magnetometer in 1-D windows: a 1-D CNN with a
density-map head (softplus, summed to an expected count) trained with PoissonNLLLoss(log_input=True). Forward passes run under
torch.autocast('cpu', dtype=torch.bfloat16); micro-batches of 32 with gradient accumulation
over 4 (effective batch 128); AdamW with linear warm-up then linear decay, grad clipping."""
import json
import torch
import torch.nn as nn

torch.manual_seed(26)
torch.set_num_threads(1)
L = 128
template = torch.cat([torch.linspace(0, 1, 6), torch.linspace(1, -0.6, 6), torch.linspace(-0.6, 0, 4)])


def windows(n, g):
    rate = torch.rand(n, generator=g) * 7
    counts = torch.poisson(rate, generator=g).clamp(max=12)
    x = torch.zeros(n, L)
    for k in range(n):
        for _ in range(int(counts[k])):
            t0 = int(torch.randint(0, L - len(template), (1,), generator=g))
            x[k, t0:t0 + len(template)] += (0.6 + 0.8 * torch.rand(1, generator=g)) * template
    x = x + 0.15 * torch.randn(n, L, generator=g) + 0.3 * torch.randn(n, 1, generator=g)  # noise + sensor offset
    return x.unsqueeze(1), counts


g = torch.Generator().manual_seed(3)
Xtr, ytr = windows(2400, g)
Xva, yva = windows(800, g)


class Counter(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.GELU(), nn.Conv1d(16, 16, 9, padding=4), nn.GELU())
        self.density = nn.Conv1d(16, 1, 1)
        nn.init.constant_(self.density.bias, -4.0)  # start near an empty window

    def forward(self, x):
        # per-position density map, summed -> expected count; return its log for the Poisson loss
        dens = nn.functional.softplus(self.density(self.body(x)).float())
        return torch.log(dens.sum(dim=(1, 2)) + 1e-4)


model = Counter()
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-4)
ACCUM, MICRO, EPOCHS = 4, 32, 8
updates_per_epoch = len(ytr) // (MICRO * ACCUM)
total = EPOCHS * updates_per_epoch
warm = 20
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.02, (total - s) / (total - warm))))
crit = nn.PoissonNLLLoss(log_input=True, full=True)

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(ytr))
    running = 0.0
    for u in range(updates_per_epoch):
        opt.zero_grad()
        for m in range(ACCUM):
            j = perm[(u * ACCUM + m) * MICRO:(u * ACCUM + m + 1) * MICRO]
            with torch.autocast("cpu", dtype=torch.bfloat16):
                log_rate = model(Xtr[j])
            loss = crit(log_rate.float(), ytr[j]) / ACCUM
            loss.backward()
            running += loss.item()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        sched.step()
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        lr_va = model(Xva).float()
    vl = crit(lr_va, yva).item()
    mse = ((lr_va.exp() - yva) ** 2).mean().item()
    print(f"epoch {epoch+1} lr {sched.get_last_lr()[0]:.2e} train_nll {running/updates_per_epoch:.4f} val_nll {vl:.4f} val_count_mse {mse:.3f}")

with torch.no_grad():
    tl = crit(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_mse": round(mse, 4), "train_loss": round(tl, 4),
                                     "target_var": round(yva.var().item(), 4),
                                     "val_acc": round((lr_va.exp().round() == yva).float().mean().item(), 4)}))
