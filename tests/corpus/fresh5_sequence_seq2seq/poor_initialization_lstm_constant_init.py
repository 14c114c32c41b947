# expect: poor_initialization
# allow: non_convergence, high_bias, vanishing_gradients, saturated_activations
# forbid: *
# evidence: planted (all params = 0.05): spread across the 48 hidden units' weights stays exactly 0 (identical units), val_acc 0.513, val_loss 0.87; control (default init): val_acc 1.00, val_loss 0.002
# control: --control
"""LSTM sequence classifier: which of 4 marker tokens occurs LAST in a noisy token sequence.

Planted: a "deterministic init for reproducibility" helper sets every parameter to the same
constant (0.05). All embedding rows start identical and all 48 hidden units are exact copies,
so they receive identical gradients and never differentiate: the LSTM is effectively a single
hidden unit. --control: PyTorch's default initialisation (seeded anyway).
"""
import argparse, json
import torch
import torch.nn as nn


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--control", action="store_true")
    p.add_argument("--epochs", type=int, default=5)
    return p.parse_args()


def deterministic_init(model, value=0.05):
    for p in model.parameters():
        nn.init.constant_(p, value)


class LastMarker(nn.Module):
    def __init__(self, vocab=30, emb=24, hid=48):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hid, batch_first=True)
        self.fc = nn.Linear(hid, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.fc(h[-1])


def make(n, T=18, g=None):
    x = torch.randint(4, 30, (n, T), generator=g)
    y = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        k = torch.randint(1, 4, (1,), generator=g).item()
        pos = torch.randperm(T - 2, generator=g)[:k].sort().values
        x[i, pos[:-1]] = torch.randint(0, 4, (k - 1,), generator=g)
        x[i, pos[-1]] = y[i]
    return x, y


def main():
    args = get_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    xtr, ytr = make(2500, g=g)
    xva, yva = make(600, g=g)
    model = LastMarker()
    if not args.control:
        deterministic_init(model)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    crit = nn.CrossEntropyLoss()
    for ep in range(args.epochs):
        model.train()
        for idx in torch.randperm(len(xtr)).split(32):
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step()
        model.eval()
        with torch.no_grad():
            vo = model(xva)
            vl, va = crit(vo, yva).item(), (vo.argmax(1) == yva).float().mean().item()
            w = model.lstm.weight_hh_l0[:48]    # input-gate rows, one per hidden unit
            spread = w.std(0).mean().item()     # 0 if all hidden units are identical copies
        print(f"epoch {ep} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f} hidden-unit weight spread {spread:.2e}")
    with torch.no_grad():
        tl = crit(model(xtr[:600]), ytr[:600]).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
