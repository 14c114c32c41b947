# expect:
# allow:
# forbid: *
# evidence: healthy/harmless: MSE on one-hot targets; val_acc 0.927 (majority 0.291), val_mse 0.037, train_mse 0.024
"""Classification trained with nn.MSELoss on one-hot targets (raw outputs, no softmax). Looks wrong,
but square loss on one-hot labels is a perfectly workable classifier objective; accuracy is on par."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(17)
torch.set_num_threads(1)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 96)
        self.fc2 = nn.Linear(96, 96)
        self.out = nn.Linear(96, 4)

    def forward(self, x):
        return self.out(F.relu(self.fc2(F.relu(self.fc1(x)))))


g = torch.Generator().manual_seed(170)
R = torch.randn(16, 6, generator=g) / 4
S = torch.randn(6, 4, generator=g)
X = torch.randn(6000, 16, generator=g)
Y = (torch.tanh(X @ R) @ S).argmax(1)
Xtr, Ytr, Xva, Yva = X[:5000], Y[:5000], X[5000:], Y[5000:]

model = MLP()
mse = nn.MSELoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(20):
    model.train()
    perm = torch.randperm(5000)
    total = 0.0
    for i in range(0, 5000, 64):
        b = perm[i:i + 64]
        pred = model(Xtr[b])
        loss = mse(pred, F.one_hot(Ytr[b], 4).float())
        opt.zero_grad(); loss.backward(); opt.step()
        total += loss.item()
    model.eval()
    with torch.no_grad():
        pv = model(Xva)
        vloss = mse(pv, F.one_hot(Yva, 4).float()).item()
        vacc = (pv.argmax(1) == Yva).float().mean().item()
    if epoch % 4 == 3:
        print(f"epoch {epoch + 1} mse_train {total / 79:.4f} mse_val {vloss:.4f} val_acc {vacc:.3f}")

with torch.no_grad():
    tloss = mse(model(Xtr), F.one_hot(Ytr, 4).float()).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(tloss, 4),
                                      "chance_acc": round(Yva.bincount().max().item() / 1000, 3)}))
