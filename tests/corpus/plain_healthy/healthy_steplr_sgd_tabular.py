# expect:
# forbid: *
# evidence: val_acc 0.982 (chance 0.2), val_loss 0.052 ~ train_loss 0.048 (clusters overlap slightly, so ~1-2% error is irreducible); StepLR drops at epochs 15/30
# Tabular 5-class problem (standardised features), MLP trained with SGD+momentum and StepLR (x0.1 every 15 epochs).
import json
import numpy as np
import torch
import torch.nn as nn

np.random.seed(4)
torch.manual_seed(4)
torch.set_num_threads(1)

# synthetic tabular data: 5 gaussian clusters in a 6-D latent space, seen through a random linear map + 4 noise columns
centers = np.random.randn(5, 6) * 2.5
def sample(n):
    y = np.random.randint(0, 5, n)
    z = centers[y] + np.random.randn(n, 6)
    return z, y
A = np.random.randn(6, 10)
def features(z):
    return np.concatenate([z @ A, np.random.randn(len(z), 4)], axis=1) * np.array([1, 5, 0.2, 30, 1, 2, 8, 1, 0.5, 3, 1, 1, 1, 1]) + 7.0

z_tr, y_tr = sample(3000)
z_va, y_va = sample(1000)
X_tr, X_va = features(z_tr), features(z_va)
mean, std = X_tr.mean(0), X_tr.std(0)           # standardise with train statistics
X_tr, X_va = (X_tr - mean) / std, (X_va - mean) / std
X_tr, X_va = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(X_va, dtype=torch.float32)
y_tr, y_va = torch.tensor(y_tr), torch.tensor(y_va)

model = nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 5))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=15, gamma=0.1)
criterion = nn.CrossEntropyLoss()

for epoch in range(45):
    model.train()
    order = torch.randperm(len(X_tr))
    total = 0.0
    for start in range(0, len(order), 64):
        ix = order[start:start + 64]
        optimizer.zero_grad()
        loss = criterion(model(X_tr[ix]), y_tr[ix])
        loss.backward()
        optimizer.step()
        total += loss.item() * len(ix)
    scheduler.step()
    model.eval()
    with torch.no_grad():
        logits = model(X_va)
        val_loss = criterion(logits, y_va).item()
        val_acc = (logits.argmax(1) == y_va).float().mean().item()
    print("epoch %d lr %.4f train_loss %.4f val_loss %.4f val_acc %.4f" % (epoch + 1, optimizer.param_groups[0]["lr"], total / len(X_tr), val_loss, val_acc))

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(total / len(X_tr), 4), "chance_acc": 0.2}))
