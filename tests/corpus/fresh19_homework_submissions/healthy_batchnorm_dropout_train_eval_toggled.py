# expect:
# allow:
# forbid: *
# evidence: healthy: BatchNorm+Dropout(0.4) MLP, Adam 1e-3, train()/eval() toggled each epoch; train loss 1.65 -> 0.054, val_loss 1.11 -> 0.055 (below train loss most of the run), val_acc 0.986 on 360 held-out digits (chance 0.10)
# Homework 5 part 2: BatchNorm + Dropout MLP on digits. model.train() / model.eval() switched every epoch.
# (the train accuracy printed is measured WITH dropout on, so it is lower than val accuracy -- that's expected)
import json
import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(21)

digits = load_digits()
data = digits.data.astype(np.float32)
data = (data - data.mean(0)) / (data.std(0) + 1e-6)
Xtr, Xva, ytr, yva = train_test_split(data, digits.target, test_size=0.2, random_state=21)
Xtr, Xva = torch.from_numpy(Xtr), torch.from_numpy(Xva)
ytr, yva = torch.from_numpy(ytr), torch.from_numpy(yva)

class BNNet(nn.Module):
    def __init__(self, p=0.4):
        super().__init__()
        self.block1 = nn.Sequential(nn.Linear(64, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(p))
        self.block2 = nn.Sequential(nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(p))
        self.cls = nn.Linear(128, 10)

    def forward(self, x):
        return self.cls(self.block2(self.block1(x)))

net = BNNet()
opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
crit = nn.CrossEntropyLoss()

EPOCHS, BS = 20, 64
for epoch in range(EPOCHS):
    net.train()
    order = torch.randperm(len(Xtr))
    ep_loss, ep_corr = 0.0, 0
    for i in range(0, len(order), BS):
        j = order[i:i + BS]
        if len(j) < 2:
            continue
        opt.zero_grad()
        logits = net(Xtr[j])
        loss = crit(logits, ytr[j])
        loss.backward()
        opt.step()
        ep_loss += loss.item() * len(j)
        ep_corr += (logits.argmax(1) == ytr[j]).sum().item()
    net.eval()
    with torch.no_grad():
        vl = net(Xva)
        val_loss = crit(vl, yva).item()
        val_acc = (vl.argmax(1) == yva).float().mean().item()
    print("Epoch %2d/%d - loss: %.4f - acc: %.4f - val_loss: %.4f - val_acc: %.4f" % (
        epoch + 1, EPOCHS, ep_loss / len(Xtr), ep_corr / len(Xtr), val_loss, val_acc))

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(ep_loss / len(Xtr), 4), "chance_acc": 0.1}))
