# expect: poor_initialization
# allow: non_convergence, high_bias, dead_units, saturated_activations, vanishing_gradients
# forbid: *
# evidence: planted (every weight = 0.05, biases 0) hidden1 keeps 1 distinct unit of 100, train loss 2.32 -> 1.78, train acc 0.24, val_acc 0.20 after 25 ep; control (default PyTorch init) 100 distinct units, train loss 0.050, val_loss 0.10, val_acc 0.972
# control: --control
# HW3 digits MLP -- "I initialise every weight to 0.05 so that runs are reproducible"
import sys, json
import numpy as np
import torch
import torch.nn as nn

from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(3)

use_default_init = "--control" in sys.argv

digits = load_digits()
X = digits.data / 16.0
Y = digits.target
x_train, x_val, y_train, y_val = train_test_split(X, Y, test_size=0.2, random_state=11)
x_train = torch.tensor(x_train, dtype=torch.float32); y_train = torch.tensor(y_train, dtype=torch.long)
x_val = torch.tensor(x_val, dtype=torch.float32); y_val = torch.tensor(y_val, dtype=torch.long)

class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden1 = nn.Linear(64, 100)
        self.hidden2 = nn.Linear(100, 50)
        self.output = nn.Linear(50, 10)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.output(self.act(self.hidden2(self.act(self.hidden1(x)))))

def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.05)
        nn.init.zeros_(m.bias)

model = MLP()
if not use_default_init:
    model.apply(init_weights)

opt = torch.optim.Adam(model.parameters(), lr=0.001)
lossf = nn.CrossEntropyLoss()

n_epochs = 25
bs = 32
for epoch in range(n_epochs):
    model.train()
    shuffle = torch.randperm(x_train.size(0))
    total_loss = 0.
    total_correct = 0
    for start in range(0, x_train.size(0), bs):
        batch = shuffle[start:start + bs]
        xb = x_train[batch]; yb = y_train[batch]
        scores = model(xb)
        loss = lossf(scores, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total_loss += loss.item() * xb.size(0)
        total_correct += (scores.argmax(1) == yb).sum().item()
    model.eval()
    with torch.no_grad():
        v = model(x_val)
        vloss = lossf(v, y_val).item()
        vacc = (v.argmax(1) == y_val).float().mean().item()
    print("Epoch {}/{} - loss: {:.4f} - acc: {:.4f} - val_loss: {:.4f} - val_acc: {:.4f}".format(
        epoch + 1, n_epochs, total_loss / len(x_train), total_correct / len(x_train), vloss, vacc))

# how many different hidden units did we actually learn?
W = model.hidden1.weight.detach()
distinct = torch.unique(W.round(decimals=5), dim=0).shape[0]
print("distinct rows in hidden1.weight:", distinct, "of", W.shape[0])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(total_loss / len(x_train), 4),
                                     "chance_acc": 0.1, "distinct_hidden1_units": int(distinct)}))
