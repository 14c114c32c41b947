# expect: non_convergence
# allow: learning_rate_too_high, exploding_gradients, non_finite, high_bias
# forbid: *
# evidence: planted (no zero_grad, SGD lr=0.05) peaks early then degrades to val_acc 0.34, train_loss 1.72 (grad buffer norm 22 vs 0.9); control (zero_grad each step) val_acc 0.875, train_loss 0.29 (majority 0.395)
# control: --control
# A plain training loop where the author forgot optimizer.zero_grad(): the .grad buffers
# accumulate over every step, so each update is the sum of all past gradients.
import sys, json, math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv

# synthetic 6-class problem from a random teacher
n_train, n_val, d, k = 3000, 1000, 20, 6
X = torch.randn(n_train + n_val, d)
teacher = nn.Sequential(nn.Linear(d, 32), nn.Tanh(), nn.Linear(32, k))
with torch.no_grad():
    Y = teacher(X).argmax(1)
Xtr, Ytr, Xva, Yva = X[:n_train], Y[:n_train], X[n_train:], Y[n_train:]

model = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, k))
opt = torch.optim.SGD(model.parameters(), lr=0.05)

bs = 64
for epoch in range(15):
    perm = torch.randperm(n_train)
    tot, nb = 0.0, 0
    for i in range(0, n_train, bs):
        idx = perm[i:i + bs]
        if CONTROL:
            opt.zero_grad()
        out = model(Xtr[idx])
        loss = F.cross_entropy(out, Ytr[idx])
        loss.backward()
        opt.step()
        tot += loss.item(); nb += 1
    gnorm = sum(p.grad.norm() ** 2 for p in model.parameters()).sqrt().item()
    with torch.no_grad():
        vo = model(Xva)
        vl = F.cross_entropy(vo, Yva).item()
        va = (vo.argmax(1) == Yva).float().mean().item()
    print(f"epoch {epoch} train_loss {tot/nb:.4f} val_loss {vl:.4f} val_acc {va:.3f} grad_buffer_norm {gnorm:.2f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tot / nb, "chance_acc": round((Yva == Yva.mode().values).float().mean().item(), 3)}))
