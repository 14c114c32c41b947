# expect: non_convergence
# allow: learning_rate_too_low, high_bias
# forbid: *
# evidence: planted (zero_grad; step; backward) never moves the weights: val_acc 0.260 (majority 0.265), train_loss 1.582 flat for 15 epochs; control (zero_grad; backward; step) val_acc 0.843, val_loss 0.467, train_loss 0.129
# control: --control
# quick notebook-style script: zero_grad(); step(); backward() -- the step always sees cleared grads
import sys, json
import torch
from torch import nn

CONTROL = "--control" in sys.argv
torch.manual_seed(2); torch.set_num_threads(1)

g = torch.Generator().manual_seed(7)
A = torch.randn(20, 8, generator=g) / 20 ** 0.5; B = torch.randn(8, 5, generator=g)
X = torch.randn(5000, 20, generator=g); Y = (torch.tanh(X @ A) @ B).argmax(1)
Xtr, Ytr, Xte, Yte = X[:4000], Y[:4000], X[4000:], Y[4000:]

model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
lossfn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)

for ep in range(15):
    perm = torch.randperm(4000)
    losses = []
    for i in range(0, 4000, 50):
        xb, yb = Xtr[perm[i:i+50]], Ytr[perm[i:i+50]]
        out = model(xb)
        loss = lossfn(out, yb)
        if CONTROL:
            opt.zero_grad(); loss.backward(); opt.step()
        else:
            opt.zero_grad()
            opt.step()        # BUG: stepping before backward -> grads are None, nothing moves
            loss.backward()
        losses.append(loss.item())
    with torch.no_grad():
        o = model(Xte); vl = lossfn(o, Yte).item(); va = (o.argmax(1) == Yte).float().mean().item()
    print(ep, round(sum(losses)/len(losses), 4), round(vl, 4), round(va, 4))

with torch.no_grad():
    tl = lossfn(model(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(Yte.bincount().max().item() / len(Yte), 3)}))
