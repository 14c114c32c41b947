# expect:
# allow:
# forbid: *
# evidence: healthy: 45 epochs on clean teacher labels; train_loss 0.052, val_loss 0.110 (flat 0.11 over the last 15 epochs), val_acc 0.959 (majority 0.433)
# A long plain run (Adam, wd 1e-4, 45 epochs) on plenty of clean, noise-free teacher labels: train loss goes
# to ~0 and validation stays good -- memorising clean labels here is not overfitting.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(14)
torch.set_num_threads(1)
gen = torch.Generator().manual_seed(140)
Wa = torch.randn(12, 6, generator=gen) / 12 ** 0.5
Wb = torch.randn(6, 3, generator=gen)
X = torch.randn(6000, 12, generator=gen)
Y = (torch.tanh(X @ Wa) @ Wb).argmax(1)
Xt, Yt, Xv, Yv = X[:5000], Y[:5000], X[5000:], Y[5000:]

net = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)

for epoch in range(45):
    net.train()
    perm = torch.randperm(5000)
    for k in range(0, 5000, 100):
        idx = perm[k:k + 100]
        loss = F.cross_entropy(net(Xt[idx]), Yt[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    if epoch % 5 == 4:
        net.eval()
        with torch.no_grad():
            lt = F.cross_entropy(net(Xt), Yt).item()
            o = net(Xv); lv = F.cross_entropy(o, Yv).item(); av = (o.argmax(1) == Yv).float().mean().item()
        print(f"epoch {epoch + 1}: train_loss={lt:.4f} val_loss={lv:.4f} val_acc={av:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(lv, 4), "val_acc": round(av, 4), "train_loss": round(lt, 4),
                                      "chance_acc": round(Yv.bincount().max().item() / len(Yv), 3)}))
