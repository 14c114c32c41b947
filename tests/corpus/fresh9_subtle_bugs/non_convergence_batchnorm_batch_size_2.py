# expect: non_convergence
# allow: high_bias, learning_rate_too_high, high_variance, data_mismatch
# forbid: *
# evidence: same 4 epochs over 2000 rows: planted (batch 2 through BatchNorm1d) train_loss 1.29 -> 1.19, val_loss 1.195, val_acc 0.455 (majority 0.407); control (batch 32) train_loss 0.432, val_loss 0.435, val_acc 0.851
# control: --control
# BatchNorm1d MLP trained with batch_size=2 (a GPU-memory habit carried over to a tiny
# tabular model). Batch statistics over 2 samples are extremely noisy and the running
# averages used at eval time do not match what the layers saw during training.
import sys, json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0); torch.set_num_threads(1)
BS = 32 if "--control" in sys.argv else 2
EPOCHS = 4

g = torch.Generator().manual_seed(17)
X = torch.randn(4000, 10, generator=g) * torch.linspace(0.5, 3, 10) + 1.0
Y = ((X[:, 0] - 1) * (X[:, 1] - 1) + torch.sin(X[:, 2]) > 0).long() + 2 * (X[:, 3] > 1).long()
Xtr, Ytr, Xva, Yva = X[:2000], Y[:2000], X[3000:], Y[3000:]

model = nn.Sequential(nn.Linear(10, 64), nn.BatchNorm1d(64), nn.ReLU(),
                      nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
hist = []
for epoch in range(EPOCHS):
    perm = torch.randperm(2000)
    for i in range(0, 2000 - BS + 1, BS):
        b = perm[i:i+BS]
        model.train()
        loss = F.cross_entropy(model(Xtr[b]), Ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); hist.append(loss.item())
    if True:
            model.eval()
            with torch.no_grad():
                o = model(Xva); vl = F.cross_entropy(o, Yva).item(); va = (o.argmax(1) == Yva).float().mean().item()
                tl = F.cross_entropy(model(Xtr), Ytr).item()
            n = len(hist) // (epoch + 1)
            print(f"epoch {epoch} steps/epoch {n} train_loss {sum(hist[-n:])/n:.4f} train_loss(eval mode) {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": sum(hist[-n:])/n, "chance_acc": torch.bincount(Yva).max().item()/1000}))
