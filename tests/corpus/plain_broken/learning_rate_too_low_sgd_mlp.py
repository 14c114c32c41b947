# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted SGD lr=1e-5: train loss 1.108 -> 1.105 over 15 epochs, val_acc 0.315 (chance 0.333); control lr=0.05: val_acc 0.953, val_loss 0.106
# control: --control
import json
import sys

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(3)
rng = np.random.default_rng(3)

LEARNING_RATE = 0.05 if "--control" in sys.argv else 1e-5
EPOCHS = 15

# two interleaved spirals-ish dataset, 3 classes, standardised features
def make_data(n):
    t = rng.uniform(0, 1, n)
    c = rng.integers(0, 3, n)
    ang = 4.0 * t + c * 2.0 * np.pi / 3
    x = np.stack([t * np.cos(ang), t * np.sin(ang)], 1) + rng.normal(0, 0.04, (n, 2))
    extra = rng.normal(0, 1, (n, 6))
    x = np.concatenate([x / 0.5, extra], 1).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(c.astype(np.int64))


x_train, y_train = make_data(4000)
x_val, y_val = make_data(1000)
loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)

model = nn.Sequential(
    nn.Linear(8, 64), nn.ReLU(),
    nn.Linear(64, 64), nn.ReLU(),
    nn.Linear(64, 3),
)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(EPOCHS):
    model.train()
    losses = []
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(x_val)
        val_loss = criterion(logits, y_val).item()
        val_acc = (logits.argmax(-1) == y_val).float().mean().item()
    train_loss = float(np.mean(losses))
    print(f"epoch {epoch}: train {train_loss:.4f} | val {val_loss:.4f} acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.333}))
