# expect: non_convergence
# allow: exploding_gradients, learning_rate_too_high, non_finite, high_bias, dead_units, saturated_activations
# forbid: *
# evidence: planted (no zero_grad, SGD 0.01 mom 0.9) train loss 1.08 -> 0.39 (ep3) -> 85.9 (ep40), val_acc 0.39 (chance 0.40), accumulated .grad norm 387 at the end; control (zero_grad each step) train loss 0.008, val_loss 0.02, val_acc 1.00, .grad norm 0.025
# control: --control
# Lab 4 - wine classification with a small MLP
# (student version: no optimizer.zero_grad() in the loop)
import sys, json
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(42)
FIX = "--control" in sys.argv

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler()
X_train = torch.FloatTensor(sc.fit_transform(X_train))
X_test = torch.FloatTensor(sc.transform(X_test))
y_train = torch.LongTensor(y_train)
y_test = torch.LongTensor(y_test)

class WineNet(nn.Module):
    def __init__(self):
        super(WineNet, self).__init__()
        self.l1 = nn.Linear(13, 32)
        self.l2 = nn.Linear(32, 16)
        self.out = nn.Linear(16, 3)
    def forward(self, x):
        x = F.relu(self.l1(x))
        x = F.relu(self.l2(x))
        return self.out(x)

net = WineNet()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
loss_func = nn.CrossEntropyLoss()

EPOCHS = 40
BATCH = 16
train_losses, test_accs = [], []
for epoch in range(EPOCHS):
    net.train()
    perm = torch.randperm(len(X_train))
    ep_loss = 0
    nb = 0
    for k in range(0, len(X_train), BATCH):
        ids = perm[k:k+BATCH]
        pred = net(X_train[ids])
        loss = loss_func(pred, y_train[ids])
        if FIX:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ep_loss += loss.item()
        nb += 1
    ep_loss /= nb
    net.eval()
    with torch.no_grad():
        logits = net(X_test)
        test_loss = loss_func(logits, y_test).item()
        acc = (logits.argmax(dim=1) == y_test).float().mean().item()
    train_losses.append(ep_loss)
    test_accs.append(acc)
    print("Epoch %d/%d - loss: %.4f - val_loss: %.4f - val_acc: %.4f" % (epoch + 1, EPOCHS, ep_loss, test_loss, acc))

gnorm = sum(p.grad.norm() ** 2 for p in net.parameters() if p.grad is not None) ** 0.5
print("grad norm in .grad at the end:", float(gnorm))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(acc, 4),
                                     "train_loss": round(ep_loss, 4), "chance_acc": 0.4,
                                     "final_grad_norm": round(float(gnorm), 3)}))
