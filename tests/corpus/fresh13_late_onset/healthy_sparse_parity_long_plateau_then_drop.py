# expect:
# allow:
# forbid: *
# evidence: val_loss stays 0.70-0.73 (ln2 = 0.693, val_acc ~0.5) for steps 50-350, drops between steps 400 and 600 (0.668 -> 0.021), ends val_loss 0.0009 val_acc 1.000 (chance 0.5)
"""Sparse parity (n=50 bits, label = XOR of 3 fixed bits) learned by a ReLU MLP with
SGD on fresh random batches. The loss sits at ln 2 (chance) for a long stretch while the
network slowly aligns with the relevant bits ('hidden progress'), then drops abruptly
to ~0 and held-out accuracy goes to ~100%. A plateau followed by a sudden drop."""
import json, math, random
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(13); np.random.seed(13); random.seed(13)
torch.set_num_threads(1)
N, K = 50, 3
S = [1, 5, 9]
def batch(bs, g=None):
    x = torch.randint(0, 2, (bs, N), generator=g).float() * 2 - 1
    y = (x[:, S].prod(1) > 0).float()
    return x, y
xv, yv = batch(2000, torch.Generator().manual_seed(99))
model = nn.Sequential(nn.Linear(N, 128), nn.ReLU(), nn.Linear(128, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.BCEWithLogitsLoss()
hist = []
for step in range(1, 1201):
    x, y = batch(32)
    loss = loss_fn(model(x).squeeze(1), y)
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 50 == 0:
        with torch.no_grad():
            o = model(xv).squeeze(1); vl = loss_fn(o, yv).item(); va = ((o > 0).float() == yv).float().mean().item()
        hist.append((step, vl, va))
        print(f"step {step} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "chance_acc": 0.5}))
