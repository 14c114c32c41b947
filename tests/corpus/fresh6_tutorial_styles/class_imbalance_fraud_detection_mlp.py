# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: 2% positives, plain shuffled batches: test acc 0.981 = majority rate 0.981, fraud recall 0.0, balanced acc 0.50; control (WeightedRandomSampler): recall 0.77, balanced acc 0.77
# control: --control
# Transaction fraud classifier, tutorial style: 10 standardised features, 2% positives, small MLP,
# BCEWithLogitsLoss, Adam, DataLoader with shuffle=True. The control draws balanced batches with
# WeightedRandomSampler (the usual fix); everything else is identical.
import json
import sys

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

torch.set_num_threads(1)
torch.manual_seed(8)
CONTROL = "--control" in sys.argv

D = 10
shift = torch.zeros(D)
shift[:4] = torch.tensor([1.0, -0.8, 0.7, 0.6])


def make(n, pos_rate=0.02):
    y = (torch.rand(n) < pos_rate).float()
    x = torch.randn(n, D) + y.unsqueeze(1) * shift
    return x, y


x_train, y_train = make(20000)
x_test, y_test = make(10000)
print("train positives: %d / %d (%.1f%%)" % (y_train.sum(), len(y_train), 100 * y_train.mean()))

if CONTROL:
    w_class = torch.where(y_train == 1, 1.0 / y_train.mean(), 1.0 / (1 - y_train.mean()))
    sampler = WeightedRandomSampler(w_class, num_samples=len(y_train), replacement=True)
    train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=128, sampler=sampler)
else:
    train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=128, shuffle=True)

model = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 1))
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def evaluate(x, y):
    model.eval()
    with torch.no_grad():
        logits = model(x).squeeze(1)
        loss = criterion(logits, y).item()
        pred = (logits > 0).float()
        acc = (pred == y).float().mean().item()
        tpr = ((pred == 1) & (y == 1)).sum().item() / max(1, (y == 1).sum().item())
        tnr = ((pred == 0) & (y == 0)).sum().item() / max(1, (y == 0).sum().item())
    model.train()
    return loss, acc, tpr, (tpr + tnr) / 2


for epoch in range(6):
    running = 0.0
    for i, (xb, yb) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = criterion(model(xb).squeeze(1), yb)
        loss.backward()
        optimizer.step()
        running += loss.item()
    tl, ta, ttpr, tbal = evaluate(x_test, y_test)
    print("epoch %d  train loss %.4f  test loss %.4f  test acc %.4f  fraud recall %.3f  balanced acc %.3f" % (
        epoch + 1, running / (i + 1), tl, ta, ttpr, tbal))

trl, tra, _, trbal = evaluate(x_train, y_train)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(tl, 4), "val_acc": round(ta, 4), "val_recall_pos": round(ttpr, 4),
                                     "val_balanced_acc": round(tbal, 4), "train_loss": round(trl, 4),
                                     "majority_rate": round(1 - y_test.mean().item(), 4)}))
