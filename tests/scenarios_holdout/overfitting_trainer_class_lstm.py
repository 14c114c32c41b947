"""Held-out: a Trainer class around a too-large two-layer LSTM trained for many epochs on 96 noisy
sequences; validate() every epoch shows the validation loss climbing while the train loss -> 0."""
# expect: overfitting
# allow: high_variance
# forbid: *
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(606)


def make_data(n, length=16):
    x = torch.randn(n, length, 4)
    score = x[:, :, 0].mean(1) * 4 + 1.0 * torch.randn(n)  # weak signal, lots of label noise
    return x, (score > 0).long()


class LSTMClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 96, num_layers=2, batch_first=True)
        self.fc = nn.Linear(96, 2)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.fc(h[:, -1])


class Trainer:
    def __init__(self, model, train_set, val_set):
        self.model, self.train_set, self.val_set = model, train_set, val_set
        self.opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        self.loss_fn = nn.CrossEntropyLoss()

    def train(self):
        self.model.train()
        x, y = self.train_set
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 16):
            idx = perm[i:i + 16]
            self.opt.zero_grad()
            loss = self.loss_fn(self.model(x[idx]), y[idx])
            loss.backward()
            self.opt.step()
        return loss.item()

    def validate(self):
        self.model.eval()
        x, y = self.val_set
        with torch.no_grad():
            out = self.model(x)
            return self.loss_fn(out, y).item(), (out.argmax(1) == y).float().mean().item()


xtr, ytr = make_data(96)
xva, yva = make_data(400)
trainer = Trainer(LSTMClassifier(), (xtr, ytr), (xva, yva))
for epoch in range(40):
    tl = trainer.train()
    vl, va = trainer.validate()
    if epoch % 5 == 0:
        print(f"epoch {epoch} train {tl:.3f} val {vl:.3f} acc {va:.3f}")
