# expect:
# allow:
# forbid: *
# evidence: val_acc 0.990 (majority 0.507), val_loss 0.053, train_loss 0.059 after 6 epochs with random horizontal flips
# Horizontal-flip augmentation on a task it does not hurt: is the wedge pointing UP or DOWN?
# A left-right mirror keeps the answer, so the augmentation is label-preserving.
import json
import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader

torch.manual_seed(1)
torch.set_num_threads(1)


class Wedges(Dataset):
    SIZE = 16

    def __init__(self, n, seed, augment):
        g = torch.Generator().manual_seed(seed)
        self.labels = torch.randint(0, 2, (n,), generator=g)      # 0 = up, 1 = down
        r = torch.arange(self.SIZE).float()
        yy, xx = torch.meshgrid(r, r, indexing="ij")
        imgs = []
        for lab in self.labels.tolist():
            cx, cy = (4 + 8 * torch.rand(2, generator=g)).tolist()
            s = 3 + 2 * torch.rand(1, generator=g).item()
            u = (yy - cy) if lab == 0 else (cy - yy)
            v = xx - cx + 1.5 * (torch.rand(1, generator=g).item() - 0.5)   # skewed, not symmetric
            inside = (u > -s) & (u < s) & (v.abs() < (u + s) / 2)
            imgs.append(inside.float() + 0.4 * torch.randn(self.SIZE, self.SIZE, generator=g))
        self.images = torch.stack(imgs).unsqueeze(1)
        self.augment = augment

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.images[i]
        if self.augment and torch.rand(1).item() < 0.5:
            x = x.flip(-1)
        return x, self.labels[i]


train_dl = DataLoader(Wedges(1500, 10, augment=True), batch_size=32, shuffle=True)
val_ds = Wedges(600, 20, augment=False)
xv, yv = val_ds.images, val_ds.labels

model = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(2),
                      nn.Flatten(), nn.Linear(96, 2))
optim = torch.optim.RMSprop(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(6):
    model.train(); total = 0.0
    for xb, yb in train_dl:
        optim.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward(); optim.step(); total += loss.item() * len(yb)
    model.eval()
    with torch.no_grad():
        logits = model(xv)
    train_loss = total / len(train_dl.dataset)
    val_loss = loss_fn(logits, yv).item(); val_acc = (logits.argmax(1) == yv).float().mean().item()
    print(f"epoch {epoch}: train_loss={train_loss:.4f} val_loss={val_loss:.4f} val_acc={val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "val_acc": val_acc, "train_loss": train_loss, "chance_acc": max(yv.float().mean().item(), 1 - yv.float().mean().item())}))
