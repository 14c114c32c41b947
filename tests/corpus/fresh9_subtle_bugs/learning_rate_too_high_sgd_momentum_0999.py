# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, high_bias, saturated_activations
# forbid: *
# evidence: planted (momentum 0.999, lr 0.05) train_loss rises 1.11 -> 10.9, val_loss 12.6, val_acc 0.464, weight norm 15 -> 1380; control (momentum 0.9) train_loss 0.086, val_loss 0.133, val_acc 0.942 (chance 0.25)
# control: --control
# SGD with momentum=0.999 (typo for 0.9, or "more momentum = smoother") and a normal lr=0.05.
# The effective step is lr / (1 - beta) = 50, so the weights oscillate with growing amplitude.
import sys, json
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(2); torch.set_num_threads(1)
momentum = 0.9 if "--control" in sys.argv else 0.999

g = torch.Generator().manual_seed(2)
X = torch.randn(5000, 12, generator=g)
y = ((X[:, :3].sum(1) > 0).long() + (X[:, 3] * X[:, 4] > 0).long() * 2)   # 4 classes
train_ds = TensorDataset(X[:4000], y[:4000])
Xv, yv = X[4000:], y[4000:]

model = nn.Sequential(nn.Linear(12, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=momentum)
lossf = nn.CrossEntropyLoss()

for epoch in range(15):
    total, count = 0.0, 0
    for xb, yb in DataLoader(train_ds, batch_size=64, shuffle=True):
        loss = lossf(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
        total += loss.item() * len(yb); count += len(yb)
    with torch.no_grad():
        logits = model(Xv)
        vloss = lossf(logits, yv).item(); vacc = (logits.argmax(1) == yv).float().mean().item()
    wn = sum(p.norm() ** 2 for p in model.parameters()).sqrt().item()
    print(f"epoch {epoch:2d} train_loss {total/count:.4f} val_loss {vloss:.4f} val_acc {vacc:.3f} weight_norm {wn:.1f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": vloss, "val_acc": vacc, "train_loss": total / count, "chance_acc": 0.25}))
