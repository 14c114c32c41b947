# expect:
# allow:
# forbid: *
# evidence: pre-train on 8000 source examples, fine-tune body at lr 1e-4 on 600 target examples; target val acc 0.867 (train 0.918, majority 0.42), val loss falling to the end
# Transfer learning, plain PyTorch: pre-train a body on a large source task, swap the head,
# fine-tune everything with a small learning rate (Adam 1e-4, head 1e-3) on a small target task.
import copy
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(2024)

D = 20
U = torch.randn(D, 6) / D ** 0.5 * 1.5     # shared latent factors both tasks depend on
VA = torch.randn(6, 5)
VB = torch.randn(6, 3)


def task(n, V):
    x = torch.randn(n, D)
    return x, torch.argmax(torch.tanh(x @ U) @ V, dim=1)


xa, ya = task(8000, VA)
xa_val, ya_val = task(1000, VA)
xb, yb = task(600, VB)
xb_val, yb_val = task(2000, VB)


class Net(nn.Module):
    def __init__(self, n_out):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.head = nn.Linear(64, n_out)

    def forward(self, x):
        return self.head(self.body(x))


def train(model, optimizer, loader, epochs, xv, yv, tag):
    for epoch in range(1, epochs + 1):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            out = model(xv)
            vl, va = F.cross_entropy(out, yv).item(), (out.argmax(1) == yv).float().mean().item()
        print(f"[{tag}] epoch {epoch:2d}  last batch loss {loss.item():.4f}  val loss {vl:.4f}  val acc {va:.4f}")
    return vl, va


# 1) pre-training on the source task
src = Net(5)
train(src, torch.optim.Adam(src.parameters(), lr=1e-3),
      DataLoader(TensorDataset(xa, ya), batch_size=64, shuffle=True), 6, xa_val, ya_val, "pretrain")

# 2) fine-tuning on the small target task: new head, low lr on the body
model = Net(3)
model.body = copy.deepcopy(src.body)
optimizer = torch.optim.Adam([{"params": model.body.parameters(), "lr": 1e-4},
                              {"params": model.head.parameters(), "lr": 1e-3}])
vl, va = train(model, optimizer, DataLoader(TensorDataset(xb, yb), batch_size=16, shuffle=True), 15,
               xb_val, yb_val, "finetune")

with torch.no_grad():
    tl = F.cross_entropy(model(xb), yb).item()
    ta = (model(xb).argmax(1) == yb).float().mean().item()
chance = torch.bincount(yb_val).max().item() / len(yb_val)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(chance, 4)}))
