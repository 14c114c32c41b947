# expect:
# allow:
# forbid: *
# evidence: valid loss 0.732 -> 0.001, valid acc 0.522 -> 1.000 by epoch 3 and stays there (chance 0.25)
"""AWD-LSTM / salesforce-style recurrent training loop, scaled down: a 2-layer GRU sequence
classifier (embedding dropout, dropout between layers), Adam 3e-3 with a tiny weight decay
(1.2e-6, the AWD default), gradient clipping 0.25 (the AWD default), full-sequence BPTT, `evaluate(data_source)` returning the average loss, and
the "| end of epoch   3 | time: 1.2s | valid loss  0.41 | valid acc 0.90" banner. Task: synthetic
token sequences whose class is which of 4 motifs (3-grams) occurs, among distractor tokens. Healthy.
"""
import json, time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
V, L = 20, 30


def make_data(n, g, motifs):
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.randint(4, V, (n, L), generator=g)
    pos = torch.randint(0, L - 3, (n,), generator=g)
    for i in range(n):
        x[i, pos[i]:pos[i] + 3] = motifs[y[i]]
    return x, y


class RNNModel(nn.Module):
    def __init__(self, ninp=32, nhid=64, nlayers=2, dropout=0.2, dropoute=0.1):
        super().__init__()
        self.encoder = nn.Embedding(V, ninp); self.dropoute = dropoute
        self.rnn = nn.GRU(ninp, nhid, nlayers, batch_first=True, dropout=dropout)
        self.drop = nn.Dropout(dropout); self.decoder = nn.Linear(nhid, 4)

    def forward(self, x):
        emb = self.encoder(x)
        if self.training and self.dropoute:
            keep = (torch.rand(emb.shape[0], emb.shape[1], 1) > self.dropoute).float() / (1 - self.dropoute)
            emb = emb * keep
        out, h = self.rnn(emb)
        return self.decoder(self.drop(h[-1]))


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        o = model(x); return F.cross_entropy(o, y).item(), (o.argmax(1) == y).float().mean().item()


def main():
    torch.manual_seed(1111); g = torch.Generator().manual_seed(1111)
    motifs = torch.tensor([[0, 1, 2], [2, 1, 0], [1, 3, 0], [3, 0, 1]])
    xtr, ytr = make_data(2500, g, motifs); xva, yva = make_data(500, g, motifs)
    model = RNNModel(); opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1.2e-6)
    bs, clip, log_interval = 50, 0.25, 20
    for epoch in range(1, 9):
        t0 = time.time(); model.train(); perm = torch.randperm(len(xtr), generator=g); total_loss = 0.0
        for batch, i in enumerate(range(0, len(xtr), bs)):
            idx = perm[i:i + bs]; loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(model.parameters(), clip); opt.step()
            total_loss += loss.item()
            if batch % log_interval == 0 and batch > 0:
                print(f"| epoch {epoch:3d} | {batch:5d}/{len(xtr) // bs:5d} batches | lr {opt.param_groups[0]['lr']:.4f} | loss {total_loss / log_interval:5.2f}")
                total_loss = 0.0
        vl, va = evaluate(model, xva, yva)
        print("-" * 89)
        print(f"| end of epoch {epoch:3d} | time: {time.time() - t0:5.2f}s | valid loss {vl:5.3f} | valid acc {va:.3f}")
        print("-" * 89)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
