# expect:
# forbid: *
# evidence: val_acc 1.0 (chance 0.5), val_loss 0.007 ~ train_loss 0.009
# GRU sequence classifier: is the sum of a length-20 real-valued sequence positive? (near-zero sums removed)
import json
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)
T = 20


def make(n, g):
    x = torch.randn(3 * n, T, 1, generator=g)
    s = x.sum((1, 2))
    keep = s.abs() > 1.0
    return x[keep][:n], (s[keep][:n] > 0).long()


g = torch.Generator().manual_seed(2)
train_x, train_y = make(2000, g)
val_x, val_y = make(500, g)


class GRUClassifier(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 2)

    def forward(self, x):
        _, h = self.gru(x)
        return self.out(h[-1])


model = GRUClassifier()
opt = torch.optim.Adam(model.parameters(), lr=1.5e-3)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(12):
    model.train()
    perm = torch.randperm(len(train_x))
    tot = 0.0
    for i in range(0, len(perm), 50):
        idx = perm[i:i + 50]
        loss = loss_fn(model(train_x[idx]), train_y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        logits = model(val_x)
        vloss = loss_fn(logits, val_y).item()
        vacc = (logits.argmax(1) == val_y).float().mean().item()
    print(f"epoch {epoch + 1:2d}  loss {tot / len(perm):.4f}  val_loss {vloss:.4f}  val_acc {vacc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tot / len(perm), 4), "chance_acc": 0.5}))
