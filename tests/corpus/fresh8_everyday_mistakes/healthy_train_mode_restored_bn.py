# expect:
# allow:
# forbid: *
# evidence: healthy: BN+dropout MLP, model.train() restored every epoch; val_acc 0.892 (majority rate 0.307), val_loss 0.289, train_loss 0.139 after 20 epochs
"""Classifier with BatchNorm + Dropout; evaluates each epoch and correctly switches back with model.train()."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1)
torch.set_num_threads(1)


class Net(nn.Module):
    def __init__(self, d_in, n_cls):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(d_in, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(128, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.2),
        )
        self.head = nn.Linear(128, n_cls)

    def forward(self, x):
        return self.head(self.body(x))


def make_data(n, gen):
    x = torch.randn(n, 20, generator=gen)
    y = (torch.tanh(x @ W1) @ W2).argmax(1)
    return x, y


g = torch.Generator().manual_seed(123)
W1 = torch.randn(20, 8, generator=g) / 20 ** 0.5
W2 = torch.randn(8, 5, generator=g)
x_train, y_train = make_data(4000, g)
x_val, y_val = make_data(1000, g)

net = Net(20, 5)
optim = torch.optim.Adam(net.parameters(), lr=2e-3)


def run_eval():
    net.eval()
    with torch.no_grad():
        logits = net(x_val)
        return F.cross_entropy(logits, y_val).item(), (logits.argmax(1) == y_val).float().mean().item()


for epoch in range(20):
    net.train()  # back to training mode after the previous epoch's evaluation
    order = torch.randperm(len(x_train))
    running = 0.0
    for start in range(0, len(order), 64):
        b = order[start:start + 64]
        loss = F.cross_entropy(net(x_train[b]), y_train[b])
        optim.zero_grad()
        loss.backward()
        optim.step()
        running += loss.item() * len(b)
    vl, va = run_eval()
    print(f"epoch {epoch:2d}  train_loss {running / len(x_train):.4f}  val_loss {vl:.4f}  val_acc {va:.3f}")

net.eval()
with torch.no_grad():
    tl = F.cross_entropy(net(x_train), y_train).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                      "train_loss": round(tl, 4), "chance_acc": round((y_val.bincount().max() / len(y_val)).item(), 3)}))
