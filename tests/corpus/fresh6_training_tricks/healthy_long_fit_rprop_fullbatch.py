# expect:
# allow:
# forbid: *
# evidence: full-batch Rprop (the setting Rprop is made for) on a 600-sample noiseless teacher-network regression, 400 iterations, fits the training set to train_mse 3.0e-05 with val_mse 1.5e-04 still falling (target variance 0.87)
"""Long full-batch training until the training data is fit to ~zero loss; labels come from a fixed
random teacher network, so there is no label noise and fitting them exactly generalises."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
DIM = 4
teacher = nn.Sequential(nn.Linear(DIM, 16), nn.Tanh(), nn.Linear(16, 1))
for p in teacher.parameters():
    p.requires_grad_(False)


def make(n):
    x = torch.randn(n, DIM)
    return x, teacher(x).squeeze(1)


xtr, ytr = make(600)
xva, yva = make(1000)
ymu, ysd = ytr.mean(), ytr.std()
ytr, yva = (ytr - ymu) / ysd, (yva - ymu) / ysd

model = nn.Sequential(nn.Linear(DIM, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Rprop(model.parameters(), lr=1e-3, step_sizes=(1e-6, 0.05))

for it in range(400):
    model.train()
    loss = F.mse_loss(model(xtr).squeeze(1), ytr)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if it % 25 == 24:
        model.eval()
        with torch.no_grad():
            val_mse = F.mse_loss(model(xva).squeeze(1), yva).item()
        print(f"iter {it} train_mse {loss.item():.3e} val_mse {val_mse:.3e}")

model.eval()
with torch.no_grad():
    train_mse = F.mse_loss(model(xtr).squeeze(1), ytr).item()
    val_mse = F.mse_loss(model(xva).squeeze(1), yva).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 6), "train_mse": round(train_mse, 6),
                                      "target_var": round(yva.var().item(), 4)}))
