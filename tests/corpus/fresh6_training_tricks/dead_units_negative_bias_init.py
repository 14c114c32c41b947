# expect: dead_units
# allow: high_bias, non_convergence, vanishing_gradients, poor_initialization
# forbid: *
# evidence: hidden biases initialised to -4 "to get sparse ReLU codes" (He-init weights, standardised inputs); probe after training: 30.5% of layer-1 and 100% of layer-2 units (256 each) never fire on the validation set, so the output is constant: planted val_acc 0.274, val_loss 1.387 (majority 0.274); --control (zero bias init) 0%/7% never fire, val_acc 0.876, val_loss 0.291
# control: --control
"""Sparse-coding inspired init: strongly negative ReLU biases. Trained with Adagrad."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
DIM, K = 16, 4
W1 = torch.randn(DIM, 8)
W2 = torch.randn(8, 2)
MED = (torch.relu(torch.randn(20000, DIM) @ W1) @ W2).median(0).values   # median splits -> balanced classes


def make(n):
    x = torch.randn(n, DIM)
    f = torch.relu(x @ W1) @ W2 > MED
    y = 2 * f[:, 0].long() + f[:, 1].long()
    return x, y


xtr, ytr = make(4000)
xva, yva = make(1000)
model = nn.Sequential(nn.Linear(DIM, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, K))
for m in list(model)[:-1]:
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, 0.0 if CONTROL else -4.0)
opt = torch.optim.Adagrad(model.parameters(), lr=0.02)

for epoch in range(8):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

with torch.no_grad():
    h1 = model[1](model[0](xva))
    h2 = model[3](model[2](h1))
    dead1 = (h1.max(0).values <= 0).float().mean().item()
    dead2 = (h2.max(0).values <= 0).float().mean().item()
print(f"probe: never-firing units layer1 {dead1:.1%} layer2 {dead2:.1%}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4), "train_loss": round(train_loss, 4),
                                      "dead_frac_l1": round(dead1, 3), "dead_frac_l2": round(dead2, 3),
                                      "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))
