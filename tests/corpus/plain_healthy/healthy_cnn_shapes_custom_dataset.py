# expect:
# forbid: *
# evidence: val_acc 0.995 (chance 0.333), val_loss 0.020 vs train_loss 0.010, both falling
"""Small CNN (no normalisation layers) on synthetic 3-class shape images (horizontal bar / vertical bar / square),
custom torch Dataset + DataLoader, Adam."""
import json
import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader


class ShapesDataset(Dataset):
    """Renders every image once at construction; images are zero-mean, unit-scale."""

    def __init__(self, n, seed, size=16):
        g = torch.Generator().manual_seed(seed)
        self.labels = torch.randint(0, 3, (n,), generator=g)
        self.images = torch.zeros(n, 1, size, size)
        for i in range(n):
            r, c = torch.randint(2, size - 8, (2,), generator=g).tolist()
            L = int(torch.randint(5, 8, (1,), generator=g))
            if self.labels[i] == 0:
                self.images[i, 0, r:r + 2, c:c + L] = 1.0
            elif self.labels[i] == 1:
                self.images[i, 0, r:r + L, c:c + 2] = 1.0
            else:
                self.images[i, 0, r:r + 4, c:c + 4] = 1.0
        self.images += 0.25 * torch.randn(self.images.shape, generator=g)
        self.images = (self.images - 0.05) / 0.3

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.images[i], self.labels[i]


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(24 * 4 * 4, 3)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    train_loader = DataLoader(ShapesDataset(1200, seed=1), batch_size=32, shuffle=True)
    val_loader = DataLoader(ShapesDataset(400, seed=2), batch_size=200)
    model = SmallCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(12):
        model.train()
        losses = []
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        model.eval()
        correct = total = 0
        vloss = 0.0
        with torch.no_grad():
            for images, labels in val_loader:
                out = model(images)
                vloss += criterion(out, labels).item() * len(labels)
                correct += (out.argmax(1) == labels).sum().item()
                total += len(labels)
        print(f"Epoch {epoch + 1}: train loss {sum(losses) / len(losses):.4f} | val loss {vloss / total:.4f} | val acc {correct / total:.3f}")

    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss / total, 4), "val_acc": round(correct / total, 4),
                                          "train_loss": round(sum(losses) / len(losses), 4), "chance_acc": 0.333}))


if __name__ == "__main__":
    main()
