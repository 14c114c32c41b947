# expect: vanishing_gradients, non_convergence
# allow: saturated_activations, high_bias, poor_initialization, learning_rate_too_low
# forbid: *
# evidence: planted (10 sigmoid layers, SGD 0.1 mom 0.9) grad norm first layer 5.7e-09 vs last 0.54 at step 0 (ratio 1e-8), train loss 2.36 -> 2.31 in 20 ep, val_acc 0.084 (chance 0.10); control (2 sigmoid layers, same everything else) ratio 0.042, train loss 0.053, val_loss 0.146, val_acc 0.964
# control: --control
# native-log: hw2_history.csv
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
# Homework 2, part (c): "deeper is better?" -- 10 hidden layers with sigmoid activations
import os, sys, csv, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(2024)

N_HIDDEN = 2 if "--control" in sys.argv else 10
HIDDEN_SIZE = 64
LR = 0.1
EPOCHS = 20
BATCH_SIZE = 64
out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

digits = load_digits()
xtr, xte, ytr, yte = train_test_split(digits.data, digits.target, test_size=0.25, random_state=0)
scaler = StandardScaler()
xtr = torch.tensor(scaler.fit_transform(xtr), dtype=torch.float32)
xte = torch.tensor(scaler.transform(xte), dtype=torch.float32)
ytr = torch.tensor(ytr)
yte = torch.tensor(yte)

modules = []
in_f = 64
for i in range(N_HIDDEN):
    modules += [nn.Linear(in_f, HIDDEN_SIZE), nn.Sigmoid()]
    in_f = HIDDEN_SIZE
modules.append(nn.Linear(in_f, 10))
model = nn.Sequential(*modules)
print(model)

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)

rows = []
first_ratio = None
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    losses = []
    for i in range(0, len(xtr), BATCH_SIZE):
        b = perm[i:i + BATCH_SIZE]
        optimizer.zero_grad()
        loss = criterion(model(xtr[b]), ytr[b])
        loss.backward()
        if first_ratio is None:
            g_first = model[0].weight.grad.norm().item()
            g_last = model[-1].weight.grad.norm().item()
            first_ratio = g_first / g_last
            print(f"grad norm first layer {g_first:.2e}, last layer {g_last:.2e}")
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(xte)
        val_loss = criterion(out, yte).item()
        val_acc = (out.argmax(1) == yte).float().mean().item()
    train_loss = float(np.mean(losses))
    rows.append({"epoch": epoch + 1, "train_loss": train_loss, "val_loss": val_loss, "val_acc": val_acc})
    print(f"Epoch {epoch + 1}/{EPOCHS} - loss: {train_loss:.4f} - val_loss: {val_loss:.4f} - val_acc: {val_acc:.4f}")

with open(os.path.join(out_dir, "hw2_history.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["epoch", "train_loss", "val_loss", "val_acc"])
    w.writeheader()
    w.writerows(rows)

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.1,
                                     "grad_ratio_first_over_last_step0": float("%.3g" % first_ratio)}))
