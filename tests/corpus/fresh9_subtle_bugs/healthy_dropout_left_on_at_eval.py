# expect:
# allow:
# forbid: *
# evidence: little harm, so labelled healthy: as written (dropout 0.2 active during validation) val_acc 0.802, val_loss 0.505, train_loss 0.344; with model.eval() (--control) val_acc 0.817, val_loss 0.445 (majority 0.303). (At p=0.5 the cost grows to 5 points: 0.779 vs 0.828.)
# The validation loop forgot model.eval() (it even calls model.train() "to be safe" after a
# checkpoint reload), so Dropout(p=0.2) stays active while measuring val_loss / val_acc.
# At p=0.2 this only makes the validation numbers slightly pessimistic; training is fine.
import sys, json
import torch
import torch.nn as nn

torch.manual_seed(0); torch.set_num_threads(1)
FIX = "--control" in sys.argv
P = float(sys.argv[sys.argv.index("--p") + 1]) if "--p" in sys.argv else 0.2

g = torch.Generator().manual_seed(13)
X = torch.randn(5000, 20, generator=g)
Y = (torch.tanh(X @ torch.randn(20, 16, generator=g) / 3) @ torch.randn(16, 4, generator=g)).argmax(1)
Xtr, Ytr, Xva, Yva = X[:4000], Y[:4000], X[4000:], Y[4000:]

model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Dropout(P), nn.Linear(256, 256), nn.ReLU(), nn.Dropout(P), nn.Linear(256, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()
for epoch in range(12):
    model.train(); perm = torch.randperm(4000); tot = 0.0
    for i in range(0, 4000, 64):
        b = perm[i:i+64]
        loss = ce(model(Xtr[b]), Ytr[b]); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()
    if FIX: model.eval()
    else: model.train()
    with torch.no_grad():
        o = model(Xva); vl = ce(o, Yva).item(); va = (o.argmax(1) == Yva).float().mean().item()
    print(f"epoch {epoch} train_loss {tot/63:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tot/63, "chance_acc": torch.bincount(Yva).max().item()/1000}))
