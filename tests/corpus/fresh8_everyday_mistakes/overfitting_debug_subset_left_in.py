# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (128-row debug subset, 150 epochs = 600 steps): train_loss 0.0005, val_loss 0.86 at epoch 15 rising to 1.383, val_acc 0.682; control (full 4000 rows, same ~600 steps) train_loss 0.264, val_loss 0.409, val_acc 0.850 (majority 0.257)
# control: --control
"""`train_set = Subset(train_set, range(128))` was added to debug the loop quickly and never removed:
a wide MLP trains 150 epochs on 128 rows and memorises them."""
import argparse, json
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader, Subset

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="train on the full 4000 rows (remove the debug Subset)")
ap.add_argument("--epochs", type=int, default=150)
args = ap.parse_args()
torch.manual_seed(24); torch.set_num_threads(1)

g = torch.Generator().manual_seed(240)
Wa = torch.randn(20, 8, generator=g) / 20 ** 0.5; Wb = torch.randn(8, 5, generator=g)
X = torch.randn(5000, 20, generator=g); Y = (torch.tanh(X @ Wa) @ Wb).argmax(1)
train_set = TensorDataset(X[:4000], Y[:4000]); val_x, val_y = X[4000:], Y[4000:]
train_set = Subset(train_set, range(128))  # DEBUG: quick iteration  <- forgotten
epochs = args.epochs
if args.control:
    train_set = TensorDataset(X[:4000], Y[:4000])
    epochs = 5  # same number of optimizer steps (~600) as 150 epochs x 4 batches
loader = DataLoader(train_set, batch_size=32, shuffle=True)

model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 5))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
steps = 0
for ep in range(epochs):
    model.train(); s = 0.0
    for xb, yb in loader:
        loss = crit(model(xb), yb); opt.zero_grad(); loss.backward(); opt.step(); s += loss.item(); steps += 1
    model.eval()
    with torch.no_grad():
        o = model(val_x); vl = crit(o, val_y).item(); va = (o.argmax(1) == val_y).float().mean().item()
    if ep % max(1, epochs // 10) == 0 or ep == epochs - 1:
        print(f"epoch {ep} steps {steps} n_train {len(train_set)} train {s / len(loader):.4f} val {vl:.4f} acc {va:.3f}")

with torch.no_grad():
    xt = torch.stack([train_set[i][0] for i in range(len(train_set))]); yt = torch.stack([train_set[i][1] for i in range(len(train_set))])
    tl = crit(model(xt), yt).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(val_y.bincount().max().item() / 1000, 3)}))
