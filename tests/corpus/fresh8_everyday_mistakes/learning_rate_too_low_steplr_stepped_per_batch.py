# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (StepLR(5, 0.5) stepped per batch): lr 0.05 -> 4.8e-8 within epoch 0 and ~1e-14 after; val_acc 0.302 (majority 0.295), train_loss 1.660 flat for 20 epochs; control (stepped per epoch, lr 0.05 -> 3e-3) val_acc 0.869, val_loss 0.471, train_loss 0.024
# control: --control
# StepLR(step_size=5, gamma=0.5) was meant per epoch (halve every 5 epochs) but scheduler.step() sits inside
# the batch loop: after ~60 batches the lr is ~1e-5 of its start and training stalls.
import sys
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

per_epoch = "--control" in sys.argv
torch.manual_seed(11)
torch.set_num_threads(1)

gg = torch.Generator().manual_seed(110)
U = torch.randn(24, 10, generator=gg) / 24 ** 0.5
V = torch.randn(10, 6, generator=gg)
X = torch.randn(6000, 24, generator=gg)
Y = (torch.tanh(X @ U) @ V).argmax(1)
Xtr, Ytr, Xva, Yva = X[:5000], Y[:5000], X[5000:], Y[5000:]

model = nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 6))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
EPOCHS, BS = 20, 50

for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(Xtr)); acc_loss = 0.0
    for b in range(0, len(Xtr), BS):
        i = perm[b:b + BS]
        loss = F.cross_entropy(model(Xtr[i]), Ytr[i])
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        if not per_epoch:
            scheduler.step()          # BUG: per-epoch schedule stepped every batch
        acc_loss += loss.item()
    if per_epoch:
        scheduler.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        val_loss = F.cross_entropy(out, Yva).item(); val_acc = (out.argmax(1) == Yva).float().mean().item()
    print(f"epoch {epoch:2d} lr {optimizer.param_groups[0]['lr']:.2e} train {acc_loss / (len(Xtr) // BS):.4f} val {val_loss:.4f} acc {val_acc:.3f}")

with torch.no_grad():
    train_loss = F.cross_entropy(model(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4), "train_loss": round(train_loss, 4),
                                      "chance_acc": round(Yva.bincount().max().item() / len(Yva), 3)}))
