# expect: non_finite
# allow: exploding_gradients, non_convergence, learning_rate_too_high, saturated_activations
# forbid: *
# evidence: hand-written BCE -(y*log(sigmoid(z)) + (1-y)*log(1-sigmoid(z))) on a separable binary task; once a logit passes ~17 sigmoid rounds to exactly 1.0 in fp32 and 0*log(0) = NaN: planted loss is NaN from step 23 (epoch 0), weights become NaN, val_acc 0.503 (chance 0.5); --control (F.binary_cross_entropy_with_logits) val_acc 0.982, val_loss 0.046
# control: --control
"""Binary classifier, Adam lr 1e-2, and a 'numerically obvious' hand-written BCE."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
DIM = 10
w_true = torch.randn(DIM)


def make(n):
    x = torch.randn(n, DIM)
    y = ((x @ w_true) > 0).float()
    return x, y


def bce(z, y):
    if CONTROL:
        return F.binary_cross_entropy_with_logits(z, y)
    p = torch.sigmoid(z)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


xtr, ytr = make(3000)
xva, yva = make(1000)
model = nn.Sequential(nn.Linear(DIM, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
first_bad = None
step = 0
for epoch in range(10):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = bce(model(xtr[idx]).squeeze(1), ytr[idx])
        if first_bad is None and not torch.isfinite(loss):
            first_bad = step
            print(f"first non-finite loss at step {step}: {loss.item()}")
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
        step += 1
    model.eval()
    with torch.no_grad():
        z = model(xva).squeeze(1)
        val_loss = F.binary_cross_entropy_with_logits(z, yva).item()
        val_acc = ((z > 0).float() == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4) if val_loss == val_loss else None, "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4) if train_loss == train_loss else None,
                                      "first_nonfinite_step": first_bad, "chance_acc": 0.5}))
