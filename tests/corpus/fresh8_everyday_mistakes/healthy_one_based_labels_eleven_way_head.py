# expect:
# allow:
# forbid: *
# evidence: healthy/harmless mistake: 1-based labels with an 11-way head; val_acc 0.990 (chance 0.1), val_loss 0.032, train_loss 0.022; mean p(unused class 0) 3e-5
# Labels come 1-based (1..10). Instead of subtracting 1, the author widened the head to 11 outputs
# "to make the IndexError go away". Logit 0 is simply never a target; training is unaffected.
import json
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(16); torch.set_num_threads(1)
g = torch.Generator().manual_seed(160)
protos = torch.randn(10, 32, generator=g)
def sample(n):
    lab = torch.randint(1, 11, (n,), generator=g)             # 1-based class ids from the source file
    x = protos[lab - 1] + 1.1 * torch.randn(n, 32, generator=g)
    return x, lab
Xtr, Ytr = sample(5000); Xva, Yva = sample(1000)

NUM_CLASSES = 11  # off by one on purpose-ish
model = nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, NUM_CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()
dl = DataLoader(TensorDataset(Xtr, Ytr), batch_size=64, shuffle=True)

for epoch in range(8):
    model.train(); tot = 0
    for xb, yb in dl:
        loss = ce(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = ce(out, Yva).item(); va = (out.argmax(1) == Yva).float().mean().item()
        p0 = out.softmax(1)[:, 0].mean().item()
    print(f"epoch {epoch} train {tot / len(dl):.4f} val {vl:.4f} acc {va:.3f} mean p(class 0)={p0:.2e}")

with torch.no_grad():
    tl = ce(model(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
