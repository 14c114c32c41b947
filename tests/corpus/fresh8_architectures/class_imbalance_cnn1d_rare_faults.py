# expect: class_imbalance
# allow: high_bias, data_mismatch, overfitting
# forbid: *
# evidence: planted (train 94/3/2/1%, balanced val): recall 1.0 on "normal", 0.0 on every fault class, val_acc 0.25 (chance 0.25), val_loss 2.53 vs train_loss 0.252 (= prior entropy 0.29); control (balanced train, same size) val_acc 0.913, min recall 0.84
# control: --control
"""1-D CNN for vibration-fault classification (normal / bearing / misalignment / looseness). The logged training data is
94% "normal" (faults are rare), the held-out evaluation set is balanced. Plain CE, no reweighting.
--control: the same number of training windows, but drawn with balanced classes."""
import argparse, json
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
torch.set_num_threads(1); torch.manual_seed(0)
gen = torch.Generator().manual_seed(11)
L = 96
t = torch.linspace(0, 1, L)


def windows(y):
    n = len(y)
    base = torch.sin(2 * torch.pi * 5 * t + 6.28 * torch.rand(n, 1, generator=gen))
    fault = torch.zeros(n, L)
    fault[y == 1] = 0.5 * torch.sin(2 * torch.pi * 23 * t + 6.28 * torch.rand(int((y == 1).sum()), 1, generator=gen))
    fault[y == 2] = 0.5 * torch.sin(2 * torch.pi * 10 * t + 6.28 * torch.rand(int((y == 2).sum()), 1, generator=gen))
    loose = (torch.rand(int((y == 3).sum()), L, generator=gen) < 0.06).float() * 1.5
    fault[y == 3] = loose
    return (base + fault + 0.5 * torch.randn(n, L, generator=gen)).unsqueeze(1)


probs = torch.tensor([0.25, 0.25, 0.25, 0.25]) if args.control else torch.tensor([0.94, 0.03, 0.02, 0.01])
y_tr = torch.multinomial(probs, 2400, replacement=True, generator=gen)
x_tr = windows(y_tr)
y_va = torch.arange(4).repeat_interleave(200)
x_va = windows(y_va)
print("train class counts:", torch.bincount(y_tr, minlength=4).tolist())

net = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                    nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 4))
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
for ep in range(10):
    perm = torch.randperm(len(y_tr))
    for i in range(0, len(y_tr), 64):
        b = perm[i:i + 64]
        loss = F.cross_entropy(net(x_tr[b]), y_tr[b])
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        out = net(x_va); pred = out.argmax(1)
        recall = [((pred == c) & (y_va == c)).sum().item() / 200 for c in range(4)]
        tl = F.cross_entropy(net(x_tr), y_tr).item()
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {F.cross_entropy(out, y_va).item():.4f} "
          f"val_acc {(pred == y_va).float().mean().item():.3f} per-class recall {[round(r, 2) for r in recall]}")

vl = F.cross_entropy(out, y_va).item(); va = (pred == y_va).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": 0.25, "min_class_recall": round(min(recall), 3)}))
