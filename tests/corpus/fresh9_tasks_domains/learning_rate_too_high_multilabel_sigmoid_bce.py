# expect: learning_rate_too_high
# allow: saturated_activations, non_convergence, vanishing_gradients, exploding_gradients, dead_units, high_bias, class_imbalance
# forbid: *
# evidence: lr 0.5 blows up within epoch 1: every sigmoid output pinned at 0/1 (saturated_out 1.00), BCE stuck at 29.28 train / 29.74 val, micro-F1 0.237, label acc 0.703 (< per-tag majority 0.716). Control (lr 2e-3): val BCE 0.189, micro-F1 0.870, label acc 0.928
# control: --control
# Multi-label genre tagging for "movies" (bag of 60 keyword features -> 10 genres).
# The model ends in nn.Sigmoid() and is trained with nn.BCELoss (probabilities in), and someone
# bumped Adam's lr to 0.5 "because training was slow".
import sys, json
import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
LR = 2e-3 if CONTROL else 0.5

torch.manual_seed(3)
torch.set_num_threads(1)

N, D, G = 4000, 60, 10
X = (torch.rand(N, D) < 0.15).float()                 # keyword presence
M = torch.randn(D, G) * (torch.rand(D, G) < 0.2)       # each genre keyed by a few keywords
Y = ((X @ M + 0.3 * torch.randn(N, G)) > 0.6).float()
Xtr, Ytr, Xva, Yva = X[:3000], Y[:3000], X[3000:], Y[3000:]
print("label density", round(Ytr.mean().item(), 3))

net = nn.Sequential(nn.Linear(D, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, G), nn.Sigmoid())
loss_fn = nn.BCELoss()
optim = torch.optim.Adam(net.parameters(), lr=LR)

def score(probs, y):
    pred = (probs > 0.5).float()
    tp = (pred * y).sum(); fp = (pred * (1 - y)).sum(); fn = ((1 - pred) * y).sum()
    return (2 * tp / (2 * tp + fp + fn + 1e-9)).item(), (pred == y).float().mean().item()

for epoch in range(25):
    perm = torch.randperm(3000)
    for b in range(0, 3000, 50):
        i = perm[b:b + 50]
        out = net(Xtr[i])
        loss = loss_fn(out, Ytr[i])
        optim.zero_grad()
        loss.backward()
        optim.step()
    with torch.no_grad():
        tl = loss_fn(net(Xtr), Ytr).item()
        pv = net(Xva)
        vl = loss_fn(pv, Yva).item()
        f1, acc = score(pv, Yva)
        sat = ((pv < 1e-3) | (pv > 1 - 1e-3)).float().mean().item()
    print(f"epoch {epoch+1} train_loss={tl:.4f} val_loss={vl:.4f} micro_f1={f1:.3f} label_acc={acc:.3f} saturated_out={sat:.2f}")

with torch.no_grad():
    h = net[1](net[0](Xva))
    dead = (h.max(0).values <= 0).float().mean().item()
print(f"dead first-layer ReLUs: {dead:.2f}")
chance = torch.maximum(Ytr.mean(0), 1 - Ytr.mean(0)).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tl, 4), "val_micro_f1": round(f1, 4),
                                      "val_label_acc": round(acc, 4), "chance_label_acc": round(chance, 4)}))
