# expect:
# allow:
# forbid: *
# evidence: fine-tuned target val_acc 0.912, val_loss 0.260 (chance 0.25); source-task val_acc 0.981 after pre-training; val loss falls through the small-lr phase (0.267 -> 0.260). For reference (not in this script) the same net trained from scratch on the 120 target samples for 32 epochs reached val_acc 0.918
"""Transfer learning in one script.  Stage 1: pre-train an MLP encoder on a large 'source' task
(20 classes, 8000 samples).  Stage 2: swap the head and fine-tune on a small related 'target' task
(4 super-classes, each a union of 5 source classes; only 120 labelled samples): first 24 epochs head-only (a linear probe, lr 1e-2), then 8 epochs of the whole net at a small lr (3e-5
for the encoder, 3e-4 for the head) with AdamW weight decay.  The fine-tuning loss moves slowly
by design - the encoder already carries the needed features."""
import copy
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(8)

g = torch.Generator().manual_seed(77)
latent_proj = torch.randn(10, 40, generator=g) / 10 ** 0.5   # shared 10-d latent -> 40-d features
src_centers = torch.randn(20, 10, generator=g) * 1.3
super_of = torch.randperm(20, generator=g) % 4             # target label = super-class of 5 source clusters


def sample(n, seed, coarse=False):
    gen = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 20, (n,), generator=gen)
    z = src_centers[y] + 0.6 * torch.randn(n, 10, generator=gen)
    x = torch.tanh(z @ latent_proj) + 0.05 * torch.randn(n, 40, generator=gen)
    return x, (super_of[y] if coarse else y)


encoder = nn.Sequential(nn.Linear(40, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


# ---- stage 1: pre-training ---------------------------------------------------------------------
xs, ys = sample(8000, 1)
xs_va, ys_va = sample(1000, 2)
src_model = nn.Sequential(encoder, nn.Linear(64, 20))
opt = torch.optim.Adam(src_model.parameters(), lr=1e-3)
for epoch in range(6):
    src_model.train()
    for xb, yb in DataLoader(TensorDataset(xs, ys), batch_size=128, shuffle=True):
        opt.zero_grad()
        F.cross_entropy(src_model(xb), yb).backward()
        opt.step()
    print("pretrain epoch %d  source val loss %.4f acc %.4f" % ((epoch,) + evaluate(src_model, xs_va, ys_va)))

# ---- stage 2: fine-tuning ----------------------------------------------------------------------
xt, yt = sample(120, 3, coarse=True)
xt_va, yt_va = sample(1000, 4, coarse=True)
head = nn.Linear(64, 4)
model = nn.Sequential(encoder, head)
for p in encoder.parameters():
    p.requires_grad_(False)
opt = torch.optim.AdamW(head.parameters(), lr=1e-2, weight_decay=0.01)
loader = DataLoader(TensorDataset(xt, yt), batch_size=16, shuffle=True)
for epoch in range(32):
    if epoch == 24:   # unfreeze, discriminative small learning rates
        for p in encoder.parameters():
            p.requires_grad_(True)
        opt = torch.optim.AdamW([{"params": encoder.parameters(), "lr": 3e-5},
                                 {"params": head.parameters(), "lr": 3e-4}], weight_decay=0.01)
    model.train()
    tot = 0.0
    for xb, yb in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        tot += loss.item() * len(xb)
    val_loss, val_acc = evaluate(model, xt_va, yt_va)
    print(f"finetune epoch {epoch:2d} train_loss {tot / len(xt):.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(tot / len(xt), 4), "chance_acc": 0.25}))
