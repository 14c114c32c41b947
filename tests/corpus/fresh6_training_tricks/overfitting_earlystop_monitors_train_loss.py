# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: 300 training samples (20% flipped labels), wide MLP, Adamax up to 150 epochs; the early stopping watches the TRAIN loss, so it runs to epoch 146 and keeps the overfit weights: planted val_loss climbs 0.91 (epoch 0) -> 1.17 (10) -> 2.47, val_acc 0.616, train_loss 0.0003; --control (monitor val loss, best weights restored) stops at epoch 16 with val_loss 0.842, val_acc 0.650
# control: --control
"""Early stopping + checkpoint-the-best, but the monitored quantity is the training loss (a
copy-paste slip from a logging dict)."""
import copy
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
DIM, K = 30, 3
W = torch.randn(DIM, K)


def make(n, flip=0.2):
    x = torch.randn(n, DIM)
    y = (x @ W + 0.5 * torch.randn(n, K)).argmax(1)
    noisy = torch.rand(n) < flip
    y[noisy] = torch.randint(0, K, (int(noisy.sum()),))
    return x, y


xtr, ytr = make(300)
xva, yva = make(1000)
model = nn.Sequential(nn.Linear(DIM, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, K))
opt = torch.optim.Adamax(model.parameters(), lr=2e-3)
best, best_state, bad, PATIENCE = float("inf"), None, 0, 15

for epoch in range(150):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 32):
        idx = perm[s:s + 32]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    train_loss = tot / len(xtr)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    logs = {"train_loss": train_loss, "val_loss": val_loss}
    monitored = logs["val_loss"] if CONTROL else logs["train_loss"]
    if epoch % 10 == 0:
        print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")
    if monitored < best - 1e-4:
        best, best_state, bad = monitored, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= PATIENCE:
            print(f"early stop at epoch {epoch}")
            break

model.load_state_dict(best_state)
model.eval()
with torch.no_grad():
    lv = model(xva)
    val_loss = F.cross_entropy(lv, yva).item()
    val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = F.cross_entropy(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": round(1 / K, 4)}))
