# expect:
# allow:
# forbid: *
# evidence: 3-class sequence-order task (chance 0.33): val acc 0.957, val loss 0.107, train loss 0.030 after 14 cosine epochs (usual early plateau for 3 epochs before the attention "clicks")
# native-log: nohup.out
# log-expect:
# log-allow:
# Tiny transformer encoder (2 layers, d=32) classifying token sequences: is the sequence sorted,
# reverse-sorted, or neither-with-a-majority-token, etc. (3 classes). Run with `nohup python ... &`,
# so the printed progress ended in nohup.out; we write the same lines there.
import json, math, os, tempfile
import torch
import torch.nn as nn

torch.manual_seed(2026); torch.set_num_threads(1)
LOG = open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "nohup.out"), "w")
def log(line):
    print(line, flush=True); LOG.write(line + "\n"); LOG.flush()

V, L = 16, 10
def sample(n):
    x = torch.randint(1, V, (n, L))
    y = torch.randint(0, 3, (n,))
    for i in range(n):
        if y[i] == 0:
            x[i] = x[i].sort().values
        elif y[i] == 1:
            x[i] = x[i].sort(descending=True).values
        else:
            while bool((x[i][1:] >= x[i][:-1]).all()) or bool((x[i][1:] <= x[i][:-1]).all()):
                x[i] = torch.randint(1, V, (L,))
    return x, y
Xtr, Ytr = sample(1600); Xva, Yva = sample(400)

class Tiny(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.tok = nn.Embedding(V, d); self.pos = nn.Parameter(torch.randn(L, d) * 0.02)
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.cls = nn.Linear(d, 3)
    def forward(self, x):
        return self.cls(self.enc(self.tok(x) + self.pos).mean(1))

model = Tiny()
EPOCHS = 14
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS * math.ceil(1600 / 64))
ce = nn.CrossEntropyLoss()
for epoch in range(1, EPOCHS + 1):
    model.train(); run = 0.0
    for b in torch.randperm(1600).split(64):
        loss = ce(model(Xtr[b]), Ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); run += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vloss = ce(o, Yva).item(); acc = (o.argmax(1) == Yva).float().mean().item()
    log(f"Epoch {epoch}/{EPOCHS} | loss {run / 1600:.3f} | val loss {vloss:.3f} | acc {100 * acc:.1f}%")
print("CORPUS_METRIC " + json.dumps({"val_loss": vloss, "val_acc": acc, "train_loss": run / 1600, "chance_acc": 1 / 3}))
