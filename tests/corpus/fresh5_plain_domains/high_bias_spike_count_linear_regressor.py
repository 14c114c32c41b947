# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (nn.Linear over raw samples): train_mse 9.51 ~ target variance 10.15 (val 10.14), i.e. no better than predicting the mean; control (small CNN, same optimiser/epochs): train_mse 2.26, val_mse 2.33
# control: --control
"""Counting action potentials in 1-D electrode snippets (sharp biphasic spikes of varying
polarity-preserving amplitude on top of a slow LFP drift). The 'baseline' regressor is a
single nn.Linear over the raw 160 samples: it cannot detect a spike wherever it occurs, so
it plateaus at a large *training* error. Control: a 3-layer 1-D CNN with a global-sum
readout trained with the same optimiser and schedule."""
import argparse
import json
import math
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
torch.manual_seed(20)
torch.set_num_threads(1)
L = 160
tpl = torch.tensor([0.0, 0.4, 1.0, 0.2, -0.6, -0.4, -0.15, 0.0])  # spike template


def snippets(n, seed):
    g = torch.Generator().manual_seed(seed)
    counts = torch.randint(0, 11, (n,), generator=g)
    x = torch.zeros(n, L)
    for k in range(n):
        for _ in range(int(counts[k])):
            t0 = int(torch.randint(0, L - len(tpl), (1,), generator=g))
            x[k, t0:t0 + len(tpl)] += (0.7 + 0.8 * torch.rand(1, generator=g)) * tpl
    t = torch.arange(L).float()
    lfp = (1.5 * torch.randn(n, 1, generator=g)) * torch.sin(2 * math.pi * t / (120 + 80 * torch.rand(n, 1, generator=g))
                                                              + 6.28 * torch.rand(n, 1, generator=g))
    x = x + lfp + 0.08 * torch.randn(n, L, generator=g)
    return x.unsqueeze(1), counts.float()


class SumReadoutCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(1, 12, 9, padding=4), nn.ReLU(), nn.Conv1d(12, 12, 5, padding=2), nn.ReLU(),
                               nn.Conv1d(12, 1, 1))

    def forward(self, x):
        return self.f(x).sum(dim=(1, 2))


class LinearBaseline(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(L, 1)

    def forward(self, x):
        return self.lin(x.flatten(1)).squeeze(1)


Xtr, ytr = snippets(2000, 1)
Xva, yva = snippets(800, 2)
y_mu, y_sd = ytr.mean(), ytr.std()  # regress standardised counts, report in counts
model = SumReadoutCNN() if args.control else LinearBaseline()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
mse = nn.MSELoss()
for epoch in range(10):
    perm = torch.randperm(len(ytr))
    for s in range(0, len(perm), 64):
        j = perm[s:s + 64]
        loss = mse(model(Xtr[j]), (ytr[j] - y_mu) / y_sd)
        opt.zero_grad()
        loss.backward()
        opt.step()
    sched.step()
    with torch.no_grad():
        tmse = mse(model(Xtr) * y_sd + y_mu, ytr).item()
        vmse = mse(model(Xva) * y_sd + y_mu, yva).item()
    print(f"epoch {epoch+1:2d} train_mse {tmse:.3f} val_mse {vmse:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 4), "val_loss": round(vmse, 4), "train_loss": round(tmse, 4),
                                     "target_var": round(yva.var().item(), 4)}))
