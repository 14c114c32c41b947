# expect: non_convergence
# allow: high_bias, saturated_activations, learning_rate_too_low, vanishing_gradients
# forbid: *
# evidence: planted (softmax->CrossEntropyLoss, SGD 0.05, 25 ep) train loss 2.30->2.21, val_acc 0.39 (chance 0.10); control (raw logits) train loss 0.08, val_loss 0.16, val_acc 0.96
# control: --control
# Homework 3, problem 2: MLP classifier for handwritten digits (sklearn digits, 8x8)
# Student: softmax at the end "so the outputs are probabilities", then nn.CrossEntropyLoss.
import sys
import json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

CONTROL = "--control" in sys.argv

# ---- data ----
digits = load_digits()
X = digits.data.astype(np.float32)
y = digits.target
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=42, stratify=y)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train).astype(np.float32)
X_val = scaler.transform(X_val).astype(np.float32)

X_train = torch.tensor(X_train)
y_train = torch.tensor(y_train)
X_val = torch.tensor(X_val)
y_val = torch.tensor(y_val)

# ---- model ----
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 64)
        self.fc2 = nn.Linear(64, 32)
        self.fc3 = nn.Linear(32, 10)
        self.relu = nn.ReLU()
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        x = self.fc3(x)
        if not CONTROL:
            x = self.softmax(x)  # output probabilities
        return x

model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

batch_size = 64
num_epochs = 25
n = X_train.shape[0]

for epoch in range(num_epochs):
    model.train()
    perm = torch.randperm(n)
    running_loss = 0.0
    correct = 0
    for i in range(0, n, batch_size):
        idx = perm[i:i + batch_size]
        xb, yb = X_train[idx], y_train[idx]
        optimizer.zero_grad()
        out = model(xb)
        loss = criterion(out, yb)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * xb.shape[0]
        correct += (out.argmax(1) == yb).sum().item()
    train_loss = running_loss / n
    train_acc = correct / n

    model.eval()
    with torch.no_grad():
        out = model(X_val)
        val_loss = criterion(out, y_val).item()
        val_acc = (out.argmax(1) == y_val).float().mean().item()
    print(f"Epoch {epoch+1}/{num_epochs} - loss: {train_loss:.4f} - acc: {train_acc:.4f} - val_loss: {val_loss:.4f} - val_acc: {val_acc:.4f}")

print("Final validation accuracy:", round(val_acc, 4))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": 0.1}))
