# expect:
# allow:
# forbid: *
# evidence: healthy (slow but correct): plain SGD lr 0.02, train loss 1.00 (ep5) -> 0.10 (ep60) decreasing steadily, val_loss 0.144, val_acc 0.98 on 54 held-out wines (chance 0.40)
# native-log: wine_sgd_log.csv
# log-expect:
# log-allow:
# Lab 2: wine classification with plain (no momentum) mini-batch SGD, lr=0.02, as in the lecture slides.
# It is slow (loss goes down gradually for all 60 epochs) but it gets there.
import os, sys, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(123)

outdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
log_csv = open(os.path.join(outdir, "wine_sgd_log.csv"), "w")
log_csv.write("epoch,loss,acc,val_loss,val_acc\n")

wine = load_wine()
x_tr, x_te, y_tr, y_te = train_test_split(wine.data, wine.target, test_size=0.3, random_state=1, stratify=wine.target)
mu, sd = x_tr.mean(axis=0), x_tr.std(axis=0)
x_tr = (x_tr - mu) / sd
x_te = (x_te - mu) / sd
x_tr, x_te = torch.Tensor(x_tr), torch.Tensor(x_te)
y_tr, y_te = torch.LongTensor(y_tr), torch.LongTensor(y_te)

net = nn.Sequential(nn.Linear(13, 10), nn.ReLU(), nn.Linear(10, 3))
opt = torch.optim.SGD(net.parameters(), lr=0.02)
ce = nn.CrossEntropyLoss()

for ep in range(1, 61):
    net.train()
    idx = torch.randperm(len(x_tr))
    for k in range(0, len(idx), 16):
        b = idx[k:k + 16]
        opt.zero_grad()
        ce(net(x_tr[b]), y_tr[b]).backward()
        opt.step()
    net.eval()
    with torch.no_grad():
        o_tr, o_te = net(x_tr), net(x_te)
        loss, val_loss = ce(o_tr, y_tr).item(), ce(o_te, y_te).item()
        acc = (o_tr.argmax(1) == y_tr).float().mean().item()
        val_acc = (o_te.argmax(1) == y_te).float().mean().item()
    log_csv.write(f"{ep},{loss:.5f},{acc:.4f},{val_loss:.5f},{val_acc:.4f}\n")
    if ep % 5 == 0:
        print(f"Epoch {ep}/60 - loss: {loss:.4f} - acc: {acc:.4f} - val_loss: {val_loss:.4f} - val_acc: {val_acc:.4f}")
log_csv.close()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(loss, 4), "chance_acc": 0.4}))
