# expect:
# allow:
# forbid: *
# evidence: healthy: batch size 4, SGD 0.01, 12 ep; per-batch loss jumps between 0.01 and 1.0 late in training, but full-train loss 0.46 -> 0.094 smoothly, test loss 0.084, test acc 0.972 (majority 0.63)
# Lab 3: logistic-regression-like MLP on breast cancer data, trained with batch size 4
# (my loss curve looks super noisy, TA said that is normal with tiny batches)
import json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(5)
np.random.seed(5)

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_test = torch.tensor(scaler.transform(X_test), dtype=torch.float32)
y_train = torch.tensor(y_train, dtype=torch.float32)
y_test = torch.tensor(y_test, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

batch_size = 4
epochs = 12
iteration = 0
for epoch in range(epochs):
    perm = np.random.permutation(len(X_train))
    model.train()
    for i in range(0, len(perm), batch_size):
        idx = perm[i:i + batch_size]
        logits = model(X_train[idx]).squeeze(1)
        loss = loss_fn(logits, y_train[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        iteration += 1
        if iteration % 25 == 0:
            print(f"iter {iteration}  loss {loss.item():.4f}")
    model.eval()
    with torch.no_grad():
        tr_logits = model(X_train).squeeze(1)
        te_logits = model(X_test).squeeze(1)
        train_loss = loss_fn(tr_logits, y_train).item()
        test_loss = loss_fn(te_logits, y_test).item()
        test_acc = ((te_logits > 0).float() == y_test).float().mean().item()
    print(f"=== epoch {epoch + 1}: train loss {train_loss:.4f}, test loss {test_loss:.4f}, test acc {test_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": round(float(y_test.mean()), 4)}))
