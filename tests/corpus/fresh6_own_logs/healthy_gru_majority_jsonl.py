# expect:
# allow:
# forbid: *
# evidence: sequences of 24 tokens (vocab 10), label = which of tokens 1/2/3 occurs most; embedding+GRU(48), Adam 2e-3, 9 epochs: val_acc ~0.99 (chance 0.33)
# native-log: history.jsonl
# log-expect:
# log-allow:
"""GRU sequence classifier; appends one flat JSON object per epoch, Keras-history style."""
import json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

def make_seqs(n, g, L=24):
    xs, ys = [], []
    while len(xs) < n:
        s = torch.randint(0, 10, (L,), generator=g)
        c = torch.stack([(s == k).sum() for k in (1, 2, 3)])
        if (c == c.max()).sum() > 1:
            continue  # drop ties so the label is well defined
        xs.append(s); ys.append(int(c.argmax()))
    return torch.stack(xs), torch.tensor(ys)

g = torch.Generator().manual_seed(5)
xtr, ytr = make_seqs(3000, g)
xva, yva = make_seqs(600, g)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 16)
        self.rnn = nn.GRU(16, 48, batch_first=True)
        self.head = nn.Linear(48, 3)
    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.head(h[:, -1])

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
log = open(os.path.join(LOG_DIR, "history.jsonl"), "w")
for epoch in range(9):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, tc, n = 0.0, 0, 0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        out = model(xtr[idx])
        loss = F.cross_entropy(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (out.argmax(1) == ytr[idx]).sum().item(); n += len(idx)
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    rec = {"epoch": epoch + 1, "loss": round(tl / n, 5), "accuracy": round(tc / n, 4), "val_loss": round(vl, 5), "val_accuracy": round(va, 4)}
    log.write(json.dumps(rec) + "\n"); log.flush()
    print(rec)
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / n, 4), "chance_acc": 0.3333}))
