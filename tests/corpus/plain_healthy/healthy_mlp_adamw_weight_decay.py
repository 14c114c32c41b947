# expect:
# forbid: *
# evidence: val_acc 0.992 (chance 0.25), val_loss 0.037 still falling at the end; train_loss 0.0034, train_acc 1.0: small gap, no overfitting
"""4-class sign-pattern task in 16-D (4 informative dims, 12 distractors), MLP + AdamW(weight_decay=0.05).
Long training: train loss goes to ~0 while validation accuracy stays at its best."""
import argparse
import json

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def make_data(n, gen):
    x = torch.randn(3 * n, 16, generator=gen)
    a, b = x[:, 0] * x[:, 1], x[:, 2] * x[:, 3]
    keep = (a.abs() > 0.15) & (b.abs() > 0.15)  # drop points right on the boundary
    x, a, b = x[keep][:n], a[keep][:n], b[keep][:n]
    y = (a > 0).long() + 2 * (b > 0).long()
    return x, y


class MLP(nn.Module):
    def __init__(self, d_in, width, n_out):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(d_in, width), nn.ReLU(),
            nn.Linear(width, width), nn.ReLU(),
            nn.Linear(width, n_out),
        )
        for m in self.net:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.net(x)


def evaluate(model, loader, loss_fn):
    model.eval()
    n, loss_sum, correct = 0, 0.0, 0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            loss_sum += loss_fn(out, yb).item() * len(yb)
            correct += (out.argmax(1) == yb).sum().item()
            n += len(yb)
    return loss_sum / n, correct / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--wd", type=float, default=0.05)
    ap.add_argument("--bs", type=int, default=64)
    args = ap.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(3)
    xtr, ytr = make_data(2500, g)
    xva, yva = make_data(1000, g)
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=args.bs, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=500)

    model = MLP(16, 128, 4)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.wd)
    loss_fn = nn.CrossEntropyLoss()

    for epoch in range(args.epochs):
        model.train()
        tl, n = 0.0, 0
        for xb, yb in train_dl:
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            tl += loss.item() * len(yb)
            n += len(yb)
        vl, va = evaluate(model, val_dl, loss_fn)
        if epoch % 5 == 4 or epoch == 0:
            print(f"epoch {epoch + 1}/{args.epochs} train_loss={tl / n:.5f} val_loss={vl:.4f} val_acc={va:.4f}")

    _, tr_acc = evaluate(model, DataLoader(TensorDataset(xtr, ytr), batch_size=500), loss_fn)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / n, 6),
                                          "train_acc": round(tr_acc, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
