# expect:
# forbid: *
# evidence: val_acc 1.0 (chance 0.5), val_loss 0.0031 = train_loss 0.0031
"""LSTM over token sequences: does the motif 1-2-3 (consecutive) appear anywhere in the sequence?
Half of the sequences get the motif planted; negatives are checked to be motif-free."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, T = 8, 24


def has_motif(seq):
    return ((seq[:, :-2] == 1) & (seq[:, 1:-1] == 2) & (seq[:, 2:] == 3)).any(1)


def build(n, g):
    x = torch.randint(0, VOCAB, (n, T), generator=g)
    y = torch.rand(n, generator=g) < 0.5
    pos = torch.randint(0, T - 2, (n,), generator=g)
    for i in torch.nonzero(y).flatten().tolist():
        p = pos[i].item()
        x[i, p:p + 3] = torch.tensor([1, 2, 3])
    return x, has_motif(x).long()


class MotifLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, 16)
        self.lstm = nn.LSTM(16, 48, batch_first=True)
        self.fc = nn.Linear(48, 2)

    def forward(self, x):
        out, _ = self.lstm(self.embed(x))
        return self.fc(out.max(dim=1).values)  # max-pool over time


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(3)
    xtr, ytr = build(3000, g)
    xva, yva = build(800, g)
    print("positive rate train %.3f val %.3f" % (ytr.float().mean(), yva.float().mean()))
    model = MotifLSTM()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for epoch in range(10):
        model.train()
        perm = torch.randperm(len(xtr))
        ls = []
        for i in range(0, len(xtr), 64):
            b = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[b]), ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            ls.append(loss.item())
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            va = (lo.argmax(1) == yva).float().mean().item()
        print(f"epoch {epoch + 1} train_loss={sum(ls) / len(ls):.4f} val_loss={vl:.4f} val_acc={va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(sum(ls) / len(ls), 4), "chance_acc": 0.5}))


main()
