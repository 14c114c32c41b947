# expect: learning_rate_too_high, non_convergence
# allow: non_finite, exploding_gradients, dead_units, high_bias, saturated_activations
# forbid: *
# evidence: planted (SGD lr=10) epoch-1 train loss 15.7, then 2.36-2.41 (above ln10=2.30) for 14 epochs, val_acc 0.12 (chance 0.10); control (lr=0.1) train loss 0.23, val_loss 0.32, val_acc 0.92
# control: --control
# HW3 resubmission: digits MLP with SGD. (lr was supposed to be 1e-1 ...)
import sys
import json
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(10)

learning_rate = 0.1 if "--control" in sys.argv else 10
n_epochs = 15
batch_size = 64

X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.2, random_state=2)
Xtr = torch.tensor(Xtr, dtype=torch.float32); ytr = torch.tensor(ytr)
Xva = torch.tensor(Xva, dtype=torch.float32); yva = torch.tensor(yva)

class MLP(nn.Module):
    def __init__(self, n_in=64, n_hidden=100, n_out=10):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))

model = MLP()
opt = torch.optim.SGD(model.parameters(), lr=learning_rate)

for epoch in range(n_epochs):
    model.train()
    perm = torch.randperm(len(Xtr))
    batch_losses = []
    for i in range(0, len(Xtr), batch_size):
        b = perm[i:i + batch_size]
        loss = F.cross_entropy(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        batch_losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        val_loss = F.cross_entropy(out, yva).item()
        val_acc = (out.argmax(1) == yva).float().mean().item()
    train_loss = sum(batch_losses) / len(batch_losses)
    print(f"Epoch {epoch + 1}/{n_epochs} - loss: {train_loss:.4f} - val_loss: {val_loss:.4f} - val_acc: {val_acc:.4f}")

def clean(v):
    return round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": clean(val_loss), "val_acc": round(val_acc, 4),
                                     "train_loss": clean(train_loss), "chance_acc": 0.1}))
