# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (loss/8 and grads/8 again, effective lr 0.5/64) val_loss 0.235, val_acc 0.900, train_loss 0.270 after 216 steps, still creeping down; control (divide once) val_loss 0.072, val_acc 0.972, train_loss 0.076
# control: --control
"""Gradient accumulation written DDP-style (no_sync on all but the last
micro-batch) for a small MLP on two-moons. Single process, so no_sync is a
no-op shim, but the code is shared with the multi-GPU launcher."""
import argparse
import contextlib
import json
import torch
import torch.nn as nn
from sklearn.datasets import make_moons

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
cli = parser.parse_args()

torch.manual_seed(0)
torch.set_num_threads(1)

Xall, yall = make_moons(n_samples=3000, noise=0.2, random_state=0)
Xall = torch.tensor(Xall, dtype=torch.float32)
Xall = (Xall - Xall[:2400].mean(0)) / Xall[:2400].std(0)
yall = torch.tensor(yall, dtype=torch.float32)
Xtr, ytr, Xte, yte = Xall[:2400], yall[:2400], Xall[2400:], yall[2400:]


class Wrapped(nn.Module):
    """Stand-in for DistributedDataParallel's interface."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, *a):
        return self.module(*a)

    @contextlib.contextmanager
    def no_sync(self):
        yield


model = Wrapped(nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)))
ACCUM = 8
MICRO = 16
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
criterion = nn.BCEWithLogitsLoss()

step = 0
for epoch in range(12):
    perm = torch.randperm(len(Xtr))
    micro_batches = [perm[i:i + MICRO] for i in range(0, len(perm), MICRO)]
    running, seen = 0.0, 0
    for mb_i, idx in enumerate(micro_batches):
        last = (mb_i + 1) % ACCUM == 0
        ctx = contextlib.nullcontext() if last else model.no_sync()
        with ctx:
            loss = criterion(model(Xtr[idx]).squeeze(1), ytr[idx]) / ACCUM
            loss.backward()
        running += loss.item() * ACCUM * len(idx)
        seen += len(idx)
        if last:
            if not cli.control:
                # average the accumulated gradients over micro-batches
                for prm in model.parameters():
                    prm.grad /= ACCUM
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
    with torch.no_grad():
        logit = model(Xte).squeeze(1)
        vloss = criterion(logit, yte).item()
        vacc = ((logit > 0).float() == yte).float().mean().item()
    print(f"epoch {epoch} step {step} train_loss {running / seen:.4f} val_loss {vloss:.4f} val_acc {vacc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(running / seen, 4), "chance_acc": 0.5}))
