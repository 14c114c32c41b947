# expect:
# allow:
# forbid: *
# evidence: 30% of train labels resampled (24.4% actually changed): clean val_acc 0.938 (majority 0.176), val_loss 0.449 at the restored best epoch 18; train_loss stays ~1.01 because of the noisy labels (noise floor), early stop at epoch 22
# 30% of the TRAINING labels are replaced with a random class (crowd-sourced labels), the
# validation labels are clean. Moderate model, weight decay, early stopping on val loss with
# best-checkpoint restore. The train loss stays high (noise floor) but the clean validation
# accuracy is high: this is a normal, correctly handled noisy-label run.
import copy, json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(6); torch.set_num_threads(1)
K = 6
g = torch.Generator().manual_seed(60)
means = torch.randn(K, 12, generator=g) * 0.9
def sample(n):
    y = torch.randint(0, K, (n,), generator=g)
    return means[y] + torch.randn(n, 12, generator=g), y
x_tr, y_clean = sample(4000)
x_va, y_va = sample(1200)
noisy = torch.rand(4000, generator=g) < 0.30
y_tr = torch.where(noisy, torch.randint(0, K, (4000,), generator=g), y_clean)
print(f"train labels changed: {(y_tr != y_clean).float().mean():.3f}")

net = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, K))
opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
best, best_state, patience, bad = float("inf"), None, 4, 0
for epoch in range(40):
    net.train(); perm = torch.randperm(4000); s = 0.0
    for i in range(0, 4000, 64):
        b = perm[i:i+64]
        loss = F.cross_entropy(net(x_tr[b]), y_tr[b])
        opt.zero_grad(); loss.backward(); opt.step(); s += loss.item()
    train_loss = s / 63
    net.eval()
    with torch.no_grad():
        o = net(x_va); val_loss = F.cross_entropy(o, y_va).item(); val_acc = (o.argmax(1) == y_va).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")
    if val_loss < best - 1e-4:
        best, best_state, bad, best_rec = val_loss, copy.deepcopy(net.state_dict()), 0, (train_loss, val_loss, val_acc)
    else:
        bad += 1
        if bad >= patience:
            print(f"early stop at epoch {epoch}, restoring best (val_loss {best:.4f})")
            break
net.load_state_dict(best_state)
tl, vl, va = best_rec
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": torch.bincount(y_va).max().item() / 1200}))
