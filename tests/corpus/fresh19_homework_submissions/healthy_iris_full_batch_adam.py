# expect:
# allow:
# forbid: *
# evidence: healthy: full-batch Adam 0.01, 150 steps; train loss 0.76 (ep10) -> 0.052, val_loss 0.73 -> 0.078, val_acc 0.967 on 30 held-out flowers (chance 0.33)
# native-log: iris_history.json
# log-expect:
# log-allow:
# Week 2 exercise: iris with a 1-hidden-layer net, full batch, Adam(lr=0.01), 150 epochs
import os, json, tempfile
import torch
import torch.nn as nn
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(0)

iris = load_iris()
X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.2, random_state=42, stratify=iris.target)
scaler = StandardScaler()
X_train = torch.FloatTensor(scaler.fit_transform(X_train))
X_test = torch.FloatTensor(scaler.transform(X_test))
y_train = torch.LongTensor(y_train)
y_test = torch.LongTensor(y_test)

class IrisNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 3)
    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))

model = IrisNet()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
epochs = 150
for epoch in range(epochs):
    model.train()
    optimizer.zero_grad()
    y_pred = model(X_train)
    loss = criterion(y_pred, y_train)
    loss.backward()
    optimizer.step()
    acc = (y_pred.argmax(1) == y_train).float().mean().item()

    model.eval()
    with torch.no_grad():
        y_val = model(X_test)
        val_loss = criterion(y_val, y_test).item()
        val_acc = (y_val.argmax(1) == y_test).float().mean().item()
    history["loss"].append(loss.item()); history["accuracy"].append(acc)
    history["val_loss"].append(val_loss); history["val_accuracy"].append(val_acc)
    if epoch % 10 == 9:
        print(f"Epoch {epoch + 1}/{epochs} - loss: {loss.item():.4f} - acc: {acc:.4f} - val_loss: {val_loss:.4f} - val_acc: {val_acc:.4f}")

json.dump(history, open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "iris_history.json"), "w"))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(loss.item(), 4), "chance_acc": 0.3333}))
