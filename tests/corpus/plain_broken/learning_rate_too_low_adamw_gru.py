# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted AdamW lr=1e-6: train loss 0.7053 -> 0.7040 over 6 epochs, val_acc 0.462 (majority 0.592); control lr=3e-3: val_acc 0.982, val_loss 0.065
# control: --control
# GRU sequence classifier: does token 1 appear more often than token 2 in the sequence?
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lr", type=float, default=1e-6)
    ap.add_argument("--wd", type=float, default=0.01)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    if a.control:
        a.lr = 3e-3
    return a


def make_split(n, length=24, vocab=10, seed=0):
    g = torch.Generator().manual_seed(seed)
    toks = torch.randint(0, vocab, (n, length), generator=g)
    label = ((toks == 1).sum(1) > (toks == 2).sum(1)).long()
    return toks, label


class GRUClassifier(nn.Module):
    def __init__(self, vocab=10, emb=16, hidden=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.rnn = nn.GRU(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 2)

    def forward(self, x):
        _, h = self.rnn(self.emb(x))
        return self.out(h[-1])


def main():
    args = get_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    xtr, ytr = make_split(2000, seed=1)
    xva, yva = make_split(600, seed=2)
    model = GRUClassifier()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.wd)
    bs = 64
    for ep in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        tl, nb = 0.0, 0
        for i in range(0, len(xtr), bs):
            j = perm[i:i + bs]
            loss = F.cross_entropy(model(xtr[j]), ytr[j])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item()
            nb += 1
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            va = (lo.argmax(1) == yva).float().mean().item()
        print(f"ep {ep} train_loss={tl / nb:.4f} val_loss={vl:.4f} val_acc={va:.3f}")
    maj = max(yva.float().mean().item(), 1 - yva.float().mean().item())
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                         "train_loss": round(tl / nb, 4), "chance_acc": round(maj, 4)}))


if __name__ == "__main__":
    main()
