# expect: high_bias
# allow: non_convergence, high_variance
# forbid: *
# evidence: planted (1 output, float labels, MSELoss, rounded) after 20 ep train acc 0.57 (train MSE 0.71), val acc 0.44 (chance 0.10); control (10 logits + CrossEntropyLoss, same net/optimizer) train acc 0.999, val_loss 0.092, val acc 0.973
# control: --control
# native-log: train_log.json
# log-expect:
# log-allow: high_bias, non_convergence
# Homework 3 (first attempt): digits as a regression -- the network outputs ONE number and I round it
# to the nearest digit. Labels are converted to float so MSELoss works.
import os, sys, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(4)
AS_CLASSIFICATION = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=6, stratify=y)
ss = StandardScaler()
X_train = torch.tensor(ss.fit_transform(X_train), dtype=torch.float32)
X_val = torch.tensor(ss.transform(X_val), dtype=torch.float32)

if AS_CLASSIFICATION:
    y_train_t, y_val_t = torch.tensor(y_train), torch.tensor(y_val)
    n_out, criterion = 10, nn.CrossEntropyLoss()
else:
    y_train_t = torch.tensor(y_train, dtype=torch.float32).unsqueeze(1)   # labels as floats
    y_val_t = torch.tensor(y_val, dtype=torch.float32).unsqueeze(1)
    n_out, criterion = 1, nn.MSELoss()

def predict_labels(out):
    if AS_CLASSIFICATION:
        return out.argmax(1)
    return out.squeeze(1).round().clamp(0, 9).long()

model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, n_out))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

log = []
EPOCHS = 20
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(X_train))
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        optimizer.zero_grad()
        loss = criterion(model(X_train[b]), y_train_t[b])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        out_tr, out_va = model(X_train), model(X_val)
        tr_loss, va_loss = criterion(out_tr, y_train_t).item(), criterion(out_va, y_val_t).item()
        tr_acc = (predict_labels(out_tr) == torch.tensor(y_train)).float().mean().item()
        va_acc = (predict_labels(out_va) == torch.tensor(y_val)).float().mean().item()
    log.append({"epoch": epoch + 1, "loss": tr_loss, "accuracy": tr_acc, "val_loss": va_loss, "val_accuracy": va_acc})
    print(f"Epoch {epoch+1}/{EPOCHS} - loss: {tr_loss:.4f} - acc: {tr_acc:.4f} - val_loss: {va_loss:.4f} - val_acc: {va_acc:.4f}")

with open(os.path.join(LOGDIR, "train_log.json"), "w") as fh:
    json.dump(log, fh)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va_loss, 4), "val_acc": round(va_acc, 4),
                                     "train_loss": round(tr_loss, 4), "train_acc": round(tr_acc, 4),
                                     "chance_acc": 0.1}))
