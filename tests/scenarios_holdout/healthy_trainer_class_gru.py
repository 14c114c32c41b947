"""Healthy (held-out): a class-based Trainer with train()/validate() methods around a GRU sequence
classifier (which half of the sequence holds the bump), Adam with gradient-norm clipping."""
# expect:
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(101)


def make_data(n, length=24):
    x = 0.5 * torch.randn(n, length, 1)
    y = torch.randint(0, 3, (n,))
    pos = y * (length // 3) + torch.randint(0, length // 3 - 3, (n,))
    for i in range(n):
        x[i, pos[i]:pos[i] + 3, 0] += 2.0
    return x, y


class GRUClassifier(nn.Module):
    def __init__(self, hidden=32, classes=3):
        super().__init__()
        self.rnn = nn.GRU(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


class Trainer:
    def __init__(self, model, train_data, val_data, lr=3e-3, batch_size=64):
        self.model, self.train_data, self.val_data = model, train_data, val_data
        self.opt = torch.optim.Adam(model.parameters(), lr=lr)
        self.criterion = nn.CrossEntropyLoss()
        self.batch_size = batch_size

    def train(self):
        self.model.train()
        x, y = self.train_data
        perm = torch.randperm(len(x))
        total = 0.0
        for i in range(0, len(x), self.batch_size):
            idx = perm[i:i + self.batch_size]
            self.opt.zero_grad()
            loss = self.criterion(self.model(x[idx]), y[idx])
            loss.backward()
            nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
            self.opt.step()
            total += loss.item() * len(idx)
        return total / len(x)

    @torch.no_grad()
    def validate(self):
        self.model.eval()
        x, y = self.val_data
        logits = self.model(x)
        return self.criterion(logits, y).item(), (logits.argmax(1) == y).float().mean().item()

    def fit(self, epochs):
        for epoch in range(epochs):
            train_loss = self.train()
            val_loss, val_acc = self.validate()
            print(f"epoch {epoch} train {train_loss:.3f} val {val_loss:.3f} acc {val_acc:.3f}")


xtr, ytr = make_data(1200)
xva, yva = make_data(300)
Trainer(GRUClassifier(), (xtr, ytr), (xva, yva)).fit(8)
