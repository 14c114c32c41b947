# expect: learning_rate_too_low
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (SGD + clip_grad_norm_ max_norm 1e-4, pre-clip grad norm ~0.58): val_acc 0.234 (majority 0.282), train_loss 1.580, val_loss 1.577 after 12 epochs; control (max_norm 1.0) val_acc 0.879, val_loss 0.466, train_loss 0.089
# control: --control
# clip_grad_norm_(max_norm=1e-4) (meant 1.0; a stray "1e-4" from the lr line) with plain SGD: every update
# is capped at lr*1e-4 in norm, so the weights barely move.
import sys, json
import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_NORM = 1.0 if "--control" in sys.argv else 1e-4
torch.manual_seed(22); torch.set_num_threads(1)

gen = torch.Generator().manual_seed(220)
Wt1 = torch.randn(20, 8, generator=gen) / 20 ** 0.5; Wt2 = torch.randn(8, 5, generator=gen)
X = torch.randn(5000, 20, generator=gen); Y = (torch.tanh(X @ Wt1) @ Wt2).argmax(1)
Xtr, Ytr, Xva, Yva = X[:4000], Y[:4000], X[4000:], Y[4000:]

model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

for ep in range(12):
    model.train(); perm = torch.randperm(4000); tot = 0.0; gn = 0.0
    for i in range(0, 4000, 50):
        j = perm[i:i + 50]
        loss = F.cross_entropy(model(Xtr[j]), Ytr[j])
        opt.zero_grad(); loss.backward()
        gn += torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=MAX_NORM).item()
        opt.step(); tot += loss.item()
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, Yva).item(); va = (o.argmax(1) == Yva).float().mean().item()
    print(f"ep {ep} max_norm {MAX_NORM:g} mean grad norm before clip {gn / 80:.3f} train {tot / 80:.4f} val {vl:.4f} acc {va:.3f}")

with torch.no_grad():
    tl = F.cross_entropy(model(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(Yva.bincount().max().item() / 1000, 3)}))
