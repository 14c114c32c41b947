# expect:
# allow:
# forbid: *
# evidence: running_loss += loss keeps the autograd graph of every batch of the epoch alive (164 grad_fn nodes held) but optimisation is normal: val_acc 0.982 (majority 0.626), val_loss 0.040, train_loss 0.056
"""Classic slip: running_loss += loss (a tensor, not loss.item()), so every epoch keeps the whole
autograd history alive -- memory grows, but the optimisation itself is unaffected."""
import json, random, gc
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(7); np.random.seed(7); random.seed(7)
X, y = load_breast_cancer(return_X_y=True)
a, b, c, d = train_test_split(X, y, test_size=0.3, random_state=7, stratify=y)
sc = StandardScaler().fit(a)
Xtr, Xva = torch.tensor(sc.transform(a), dtype=torch.float32), torch.tensor(sc.transform(b), dtype=torch.float32)
ytr, yva = torch.tensor(c), torch.tensor(d)
model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

def graph_nodes(t):
    seen, stack = set(), [t.grad_fn]
    while stack:
        fn = stack.pop()
        if fn is None or fn in seen:
            continue
        seen.add(fn); stack.extend(f for f, _ in fn.next_functions)
    return len(seen)
for epoch in range(20):
    running_loss = 0
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 20):
        idx = perm[i:i+20]
        optimizer.zero_grad()
        loss = criterion(model(Xtr[idx]), ytr[idx])
        loss.backward()
        optimizer.step()
        running_loss += loss           # <- keeps the graph
    n_batches = (len(Xtr) + 19) // 20
    with torch.no_grad():
        out = model(Xva)
        vloss = criterion(out, yva)
    pred = out.argmax(1).detach().cpu().numpy()
    acc = (pred == yva.numpy()).mean()
    if epoch % 4 == 3:
        print(f"Epoch {epoch+1}/20, Loss: {running_loss / n_batches}, Val loss: {vloss}, Val acc: {acc}, "
              f"graph nodes held by running_loss: {graph_nodes(running_loss)}")
print("CORPUS_METRIC " + json.dumps({"val_loss": float(vloss), "val_acc": float(acc), "train_loss": float(running_loss.item() / n_batches),
                                     "chance_acc": float(max(d.mean(), 1 - d.mean()))}))
