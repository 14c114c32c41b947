# expect:
# allow:
# forbid: *
# evidence: healthy: only the printed losses are wrong (32x/256x too small); real val_acc 0.835 (majority 0.193), val_loss 0.419 ~= train_loss 0.412 (6 overlapping blobs, noise-limited)
# The printed epoch loss sums batch-mean loss.item() and divides by len(dataset) instead of the number
# of batches, so the printed numbers are 32x too small. Only the print is wrong; training is fine.
import json
import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader

torch.manual_seed(6)
torch.set_num_threads(1)

def blobs(n, g):
    centers = torch.tensor([[2., 0, 0, 1], [-2, 0, 1, 0], [0, 2, -1, 0], [0, -2, 0, -1], [1.5, 1.5, 1, 1], [-1.5, -1.5, -1, -1]])
    y = torch.randint(0, 6, (n,), generator=g)
    x = centers[y] + 0.9 * torch.randn(n, 4, generator=g)
    x = torch.cat([x, torch.sin(x[:, :2] * 2), 0.5 * torch.randn(n, 6, generator=g)], 1)
    return x, y

g = torch.Generator().manual_seed(60)
train_ds = TensorDataset(*blobs(4000, g))
val_ds = TensorDataset(*blobs(1000, g))
train_dl = DataLoader(train_ds, batch_size=32, shuffle=True)
val_dl = DataLoader(val_ds, batch_size=256)

clf = nn.Sequential(nn.Linear(12, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 6))
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.AdamW(clf.parameters(), lr=1e-3, weight_decay=1e-2)

for epoch in range(10):
    clf.train()
    total = 0.0
    for xb, yb in train_dl:
        loss = loss_fn(clf(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
        total += loss.item()
    train_loss_printed = total / len(train_ds)   # bug: should be len(train_dl)
    clf.eval(); vtot = 0.0; correct = 0
    with torch.no_grad():
        for xb, yb in val_dl:
            out = clf(xb)
            vtot += loss_fn(out, yb).item()
            correct += (out.argmax(1) == yb).sum().item()
    val_loss_printed = vtot / len(val_ds)         # same bug on validation
    print(f"epoch {epoch}: train {train_loss_printed:.5f}  val {val_loss_printed:.5f}  acc {correct / len(val_ds):.3f}")

clf.eval()
with torch.no_grad():
    xv, yv = val_ds.tensors; xt, yt = train_ds.tensors
    out = clf(xv)
    m = {"val_loss": round(loss_fn(out, yv).item(), 4), "val_acc": round((out.argmax(1) == yv).float().mean().item(), 4),
         "train_loss": round(loss_fn(clf(xt), yt).item(), 4), "chance_acc": round(yv.bincount().max().item() / len(yv), 3)}
print("CORPUS_METRIC " + json.dumps(m))
