# expect:
# allow:
# forbid: *
# evidence: held-out same/different pair verification acc 0.926 (chance 0.5), val contrastive loss 0.080 (epoch0 0.168); 1-NN digit acc 0.932 (chance 0.10)
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

SEED = 3
EMB_DIM = 16
MARGIN = 1.0
EPOCHS = 6
LR = 1e-3

FONT = {  # 5x7 bitmaps
    0: ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    1: ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    2: ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    3: ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    4: ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    5: ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    6: ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    7: ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    8: ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    9: ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
}
GLYPHS = {d: np.array([[c == "1" for c in row] for row in rows], dtype=np.float32) for d, rows in FONT.items()}


def render(digit, rng):
    """Upsample the glyph x2, drop it at a random offset on a 18x18 canvas, add noise & dropout."""
    g = np.kron(GLYPHS[digit], np.ones((2, 2), dtype=np.float32))          # 14 x 10
    canvas = np.zeros((18, 18), dtype=np.float32)
    oy, ox = rng.integers(0, 5), rng.integers(0, 9)
    canvas[oy:oy + 14, ox:ox + 10] = g * rng.uniform(0.6, 1.0)
    canvas *= rng.random(canvas.shape) > 0.1                               # broken strokes
    canvas += rng.normal(0, 0.12, canvas.shape)
    return canvas


class PairDataset(Dataset):
    def __init__(self, n_pairs, seed):
        rng = np.random.default_rng(seed)
        self.a, self.b, self.same = [], [], []
        for _ in range(n_pairs):
            d1 = int(rng.integers(0, 10))
            same = rng.random() < 0.5
            d2 = d1 if same else int((d1 + rng.integers(1, 10)) % 10)
            self.a.append(render(d1, rng))
            self.b.append(render(d2, rng))
            self.same.append(float(same))
        self.a = torch.tensor(np.stack(self.a)).unsqueeze(1)
        self.b = torch.tensor(np.stack(self.b)).unsqueeze(1)
        self.same = torch.tensor(self.same)

    def __len__(self):
        return len(self.same)

    def __getitem__(self, i):
        return self.a[i], self.b[i], self.same[i]


class Tower(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, EMB_DIM))

    def forward(self, x):
        return self.fc(self.conv(x))


def contrastive_loss(e1, e2, same):
    d = F.pairwise_distance(e1, e2)
    return (same * d.pow(2) + (1 - same) * F.relu(MARGIN - d).pow(2)).mean(), d


def evaluate(net, loader, thr):
    net.eval()
    losses, dists, labels = [], [], []
    with torch.no_grad():
        for a, b, s in loader:
            l, d = contrastive_loss(net(a), net(b), s)
            losses.append(l.item() * len(s))
            dists.append(d)
            labels.append(s)
    d, s = torch.cat(dists), torch.cat(labels)
    return sum(losses) / len(s), ((d < thr).float() == s).float().mean().item()


if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    random.seed(SEED)
    train_ds, val_ds = PairDataset(2000, seed=10), PairDataset(800, seed=11)
    train_dl = DataLoader(train_ds, batch_size=32, shuffle=True)
    val_dl = DataLoader(val_ds, batch_size=256)

    net = Tower()
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    for epoch in range(EPOCHS):
        net.train()
        run = 0.0
        for a, b, s in train_dl:
            loss, _ = contrastive_loss(net(a), net(b), s)
            opt.zero_grad()
            loss.backward()
            opt.step()
            run += loss.item() * len(s)
        vloss, vacc = evaluate(net, val_dl, MARGIN / 2)
        print(f"epoch {epoch}  train {run / len(train_ds):.4f}  val {vloss:.4f}  verif_acc {vacc:.3f}")

    # 1-NN digit identification using one clean-ish reference per digit
    rng = np.random.default_rng(99)
    net.eval()
    with torch.no_grad():
        refs = torch.stack([net(torch.tensor(np.stack([render(d, rng) for _ in range(5)])).unsqueeze(1)).mean(0)
                            for d in range(10)])
        qd = rng.integers(0, 10, 500)
        q = net(torch.tensor(np.stack([render(int(d), rng) for d in qd])).unsqueeze(1))
        nn_acc = (torch.cdist(q, refs).argmin(1).numpy() == qd).mean()
    print(f"1-NN digit accuracy {nn_acc:.3f}")
    print("CORPUS_METRIC " + json.dumps({
        "train_loss": round(run / len(train_ds), 5), "val_loss": round(vloss, 5),
        "val_acc": round(vacc, 4), "chance_acc": 0.5, "nn_digit_acc": round(float(nn_acc), 4),
    }))
