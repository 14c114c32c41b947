# expect:
# allow:
# forbid: *
# evidence: healthy/harmless mistake: early stop (patience 3) at epoch 7 keeps the last model, val_loss 0.681 / acc 0.784 vs best 0.674 / 0.792; train_loss 0.545; 10% label noise caps accuracy (majority 0.292)
# Early stopping with patience=3 on val loss, but the script keeps the *last* weights instead of restoring
# the best checkpoint. Because it stops 3 epochs after the best, the final model is barely worse; the run
# itself is a normal, well-regularised training.
import json, copy
from dataclasses import dataclass
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    lr: float = 1e-3
    batch_size: int = 32
    max_epochs: int = 80
    patience: int = 3
    seed: int = 20


cfg = Config()
torch.manual_seed(cfg.seed)
torch.set_num_threads(1)

g = torch.Generator().manual_seed(200)
T1 = torch.randn(16, 8, generator=g) / 4
T2 = torch.randn(8, 4, generator=g)
def make(n):
    x = torch.randn(n, 16, generator=g)
    y = (torch.tanh(x @ T1) @ T2).argmax(1)
    noisy = torch.rand(n, generator=g) < 0.1
    y[noisy] = torch.randint(0, 4, (int(noisy.sum()),), generator=g)
    return x, y
x_tr, y_tr = make(1500); x_va, y_va = make(1000)

model = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 4))
opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)

best, best_state, bad = float("inf"), None, 0
for epoch in range(cfg.max_epochs):
    model.train()
    perm = torch.randperm(len(x_tr))
    for i in range(0, len(perm), cfg.batch_size):
        j = perm[i:i + cfg.batch_size]
        loss = F.cross_entropy(model(x_tr[j]), y_tr[j])
        opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        out = model(x_va)
        vl = F.cross_entropy(out, y_va).item(); va = (out.argmax(1) == y_va).float().mean().item()
        tl = F.cross_entropy(model(x_tr), y_tr).item()
    print(f"epoch {epoch} train {tl:.4f} val {vl:.4f} acc {va:.3f}")
    if vl < best:
        best, best_acc, best_state, bad = vl, va, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= cfg.patience:
            print(f"early stop at epoch {epoch}; best val {best:.4f} (acc {best_acc:.3f})")
            break
# forgot: model.load_state_dict(best_state)

print(f"kept last model: val {vl:.4f} acc {va:.3f}  vs best {best:.4f} acc {best_acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": round(y_va.bincount().max().item() / len(y_va), 3)}))
