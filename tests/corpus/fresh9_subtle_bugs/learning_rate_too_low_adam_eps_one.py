# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (Adam eps=1.0, lr 1e-3) train_loss 1.98 -> 1.68, val_acc 0.337 after 12 epochs (majority 0.28); control (eps=1e-8) train_loss 0.25, val_loss 0.454, val_acc 0.839
# control: --control
# Adam with eps=1.0 (someone read "eps for numerical stability, larger = more stable").
# The denominator sqrt(v)+eps is then ~1 for gradients of size ~1e-2, so every update is
# about lr * m ~ 1e-5: Adam degenerates to SGD with a tiny step.
import argparse, json
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--lr", type=float, default=1e-3)
cfg = parser.parse_args()
EPS = 1e-8 if cfg.control else 1.0

torch.manual_seed(1)
torch.set_num_threads(1)

n, d, k = 8000, 30, 7
X = torch.randn(n, d)
W1 = torch.randn(d, 40) / d ** 0.5
Y = (torch.relu(X @ W1) @ torch.randn(40, k)).argmax(1)
Xtr, Ytr, Xva, Yva = X[:7000], Y[:7000], X[7000:], Y[7000:]

net = nn.Sequential(nn.Linear(d, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, k))
optimizer = torch.optim.Adam(net.parameters(), lr=cfg.lr, eps=EPS)
criterion = nn.CrossEntropyLoss()

for epoch in range(12):
    idx = torch.randperm(7000)
    losses = []
    for s in range(0, 7000, 64):
        b = idx[s:s + 64]
        optimizer.zero_grad()
        loss = criterion(net(Xtr[b]), Ytr[b])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        out = net(Xva)
        val_loss = criterion(out, Yva).item()
        val_acc = (out.argmax(1) == Yva).float().mean().item()
    train_loss = sum(losses) / len(losses)
    print(f"epoch {epoch:02d} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

chance = torch.bincount(Yva).max().item() / len(Yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": val_loss, "val_acc": val_acc, "train_loss": train_loss, "chance_acc": chance}))
