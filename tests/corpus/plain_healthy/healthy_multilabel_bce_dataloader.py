# expect:
# forbid: *
# evidence: val per-label acc 0.975 (chance 0.5), val macro-F1 0.976, val_bce 0.065 vs train 0.047, both still falling
"""Multi-label tagging: 5 independent binary tags, each a (noise-free) function of the features.
F.binary_cross_entropy_with_logits, custom Dataset/DataLoader, Adam. Every tag is present in 35-65% of samples."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader


class TagDataset(Dataset):
    def __init__(self, n, W, seed):
        g = torch.Generator().manual_seed(seed)
        self.x = torch.randn(n, 12, generator=g)
        z = self.x @ W
        self.y = torch.stack([z[:, 0] > 0, z[:, 1] * z[:, 2] > 0, z[:, 3] > 0.3, (z[:, 4] > 0) ^ (z[:, 0] > 0.5), z[:, 2].abs() < 0.8], 1).float()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


torch.manual_seed(0)
torch.set_num_threads(1)
W = torch.randn(12, 5) / 12 ** 0.5
train_ds, val_ds = TagDataset(4000, W, 1), TagDataset(1000, W, 2)
print("tag frequencies (train):", [round(v, 2) for v in train_ds.y.mean(0).tolist()])
train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=250)

model = nn.Sequential(nn.Linear(12, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(20):
    model.train()
    tr_loss, n = 0.0, 0
    for xb, yb in train_loader:
        logits = model(xb)
        loss = F.binary_cross_entropy_with_logits(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        tr_loss += loss.item() * len(xb)
        n += len(xb)
    model.eval()
    vl, tp, fp, fn, correct, m = 0.0, 0, 0, 0, 0, 0
    with torch.no_grad():
        for xb, yb in val_loader:
            logits = model(xb)
            vl += F.binary_cross_entropy_with_logits(logits, yb, reduction="sum").item() / 5
            pred = (logits > 0).float()
            tp += (pred * yb).sum(0)
            fp += (pred * (1 - yb)).sum(0)
            fn += ((1 - pred) * yb).sum(0)
            correct += (pred == yb).float().sum().item()
            m += yb.numel()
    f1 = (2 * tp / (2 * tp + fp + fn)).mean().item()
    print(f"epoch {epoch + 1:2d} train_bce {tr_loss / n:.4f} val_bce {vl / len(val_ds):.4f} val_macro_f1 {f1:.4f} val_label_acc {correct / m:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl / len(val_ds), 4), "val_acc": round(correct / m, 4), "val_macro_f1": round(f1, 4),
                                      "train_loss": round(tr_loss / n, 4), "chance_acc": 0.5}))
