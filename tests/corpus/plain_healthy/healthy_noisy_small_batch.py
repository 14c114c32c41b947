# expect:
# forbid: *
# evidence: batch 6: per-step loss jumps (e.g. 0.01 -> 0.20) but trends 0.37 -> ~0.03; val_acc 0.985 (chance 0.333), val_loss 0.055 falling every epoch, train_loss 0.045
# Batch size 6: the per-step loss is very noisy, but the trend is clearly down and val accuracy is high.
import json
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.set_num_threads(1)

g = torch.Generator().manual_seed(9)
means = torch.randn(3, 10, generator=g) * 0.9
def blobs(n):
    y = torch.randint(0, 3, (n,), generator=g)
    return means[y] + torch.randn(n, 10, generator=g), y

Xtr, Ytr = blobs(1200)
Xva, Yva = blobs(600)

model = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), nn.Linear(32, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
ce = nn.CrossEntropyLoss()

BS = 6
step = 0
for epoch in range(6):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        b = perm[i:i + BS]
        loss = ce(model(Xtr[b]), Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 100 == 0:
            print(f"step {step} loss {loss.item():.4f}")   # single-batch loss: noisy
    with torch.no_grad():
        out = model(Xva)
        vl, va = ce(out, Yva).item(), (out.argmax(1) == Yva).float().mean().item()
    print(f"== epoch {epoch + 1}: val_loss {vl:.4f} val_acc {va:.4f}")

with torch.no_grad():
    tl = ce(model(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.333}))
