# expect:
# allow:
# forbid: *
# evidence: healthy: Adam 1e-3 + StepLR(8, 0.5), 20 ep; train loss 1.92 -> 0.011 (acc 0.999) while val_loss 1.07 -> 0.073 (ep9) and then flat 0.06-0.08 to ep20; best checkpoint val_loss 0.062, val_acc 0.982 on 450 held-out digits (chance 0.10)
# native-log: cnn_history.json
# log-expect:
# log-allow:
# Homework 4 - small ConvNet on the 8x8 digits. Adam + StepLR, keep the best checkpoint by val accuracy.
# Train loss goes basically to zero; val loss stays flat around its best value.
import os, json, copy, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR", tempfile.mkdtemp())
EPOCHS = 20

digits = load_digits()
imgs = digits.images.astype(np.float32) / 16.0
imgs = (imgs - 0.3) / 0.4             # rough mean/std from the training images
X_train, X_val, y_train, y_val = train_test_split(imgs, digits.target, test_size=0.25, random_state=4, stratify=digits.target)
train_dl = DataLoader(TensorDataset(torch.tensor(X_train).unsqueeze(1), torch.tensor(y_train)), batch_size=32, shuffle=True)
val_dl = DataLoader(TensorDataset(torch.tensor(X_val).unsqueeze(1), torch.tensor(y_val)), batch_size=128)

class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 4 * 4, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.flatten(1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)

model = SmallCNN()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=8, gamma=0.5)

def evaluate(loader):
    model.eval()
    tot, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            tot += F.cross_entropy(out, yb, reduction="sum").item()
            correct += (out.argmax(1) == yb).sum().item()
            n += len(yb)
    return tot / n, correct / n

history = {"epoch": [], "lr": [], "train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}
best_acc, best_state = 0.0, None
for epoch in range(1, EPOCHS + 1):
    model.train()
    running, correct, n = 0.0, 0, 0
    for xb, yb in train_dl:
        optimizer.zero_grad()
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        loss.backward()
        optimizer.step()
        running += loss.item() * len(yb)
        correct += (out.argmax(1) == yb).sum().item()
        n += len(yb)
    lr_now = optimizer.param_groups[0]["lr"]
    scheduler.step()
    val_loss, val_acc = evaluate(val_dl)
    history["epoch"].append(epoch); history["lr"].append(lr_now)
    history["train_loss"].append(running / n); history["train_acc"].append(correct / n)
    history["val_loss"].append(val_loss); history["val_acc"].append(val_acc)
    print(f"Epoch {epoch}/{EPOCHS} | lr {lr_now:.1e} | loss {running / n:.4f} acc {correct / n:.4f} | val_loss {val_loss:.4f} val_acc {val_acc:.4f}")
    if val_acc > best_acc:
        best_acc, best_state = val_acc, copy.deepcopy(model.state_dict())

with open(os.path.join(LOG_DIR, "cnn_history.json"), "w") as f:
    json.dump(history, f, indent=1)

model.load_state_dict(best_state)
val_loss, val_acc = evaluate(val_dl)
print(f"best model: val_loss {val_loss:.4f}, val_acc {val_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(history["train_loss"][-1], 4), "chance_acc": 0.1}))
