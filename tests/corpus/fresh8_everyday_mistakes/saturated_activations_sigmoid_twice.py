# expect: saturated_activations
# allow: non_convergence, vanishing_gradients, high_bias
# forbid: *
# evidence: planted (nn.Sigmoid + BCEWithLogitsLoss): 83% of the final Sigmoid's val outputs are within 0.01 of 0/1 (1% at epoch 0), training loss stuck at 0.55 (floor ~0.5), calibrated val BCE 0.654, train BCE 0.695, val_acc 0.897; control (logits) val BCE 0.205, train 0.172, val_acc 0.917 (majority 0.503)
# control: --control
"""Binary classifier whose model ends in nn.Sigmoid() and is trained with BCEWithLogitsLoss, which applies a
second sigmoid. The loss of a negative can never go below log 2, so training drives the final sigmoid
hard into saturation chasing an unreachable target."""
import argparse, json
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="drop the trailing nn.Sigmoid()")
args = ap.parse_args()
torch.manual_seed(31); torch.set_num_threads(1)

g = torch.Generator().manual_seed(310)
X = torch.randn(5000, 12, generator=g)
w = torch.randn(12, generator=g)
Y = ((X @ w) / 3 + torch.sin(2 * X[:, 0]) - 0.5 * X[:, 1] * X[:, 2] + 0.3 * torch.randn(5000, generator=g) > 0).float()
Xtr, Ytr, Xva, Yva = X[:4000], Y[:4000], X[4000:], Y[4000:]

head = [] if args.control else [nn.Sigmoid()]
model = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1), *head)
crit = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def prob(out):
    return out if not args.control else torch.sigmoid(out)   # what the author thresholds at 0.5

for epoch in range(15):
    model.train(); perm = torch.randperm(4000); s = 0.0
    for i in range(0, 4000, 64):
        j = perm[i:i + 64]
        loss = crit(model(Xtr[j]).squeeze(1), Ytr[j]); opt.zero_grad(); loss.backward(); opt.step(); s += loss.item()
    model.eval()
    with torch.no_grad():
        out = model(Xva).squeeze(1)
        p = prob(out)
        acc = ((p > 0.5).float() == Yva).float().mean().item()
        bce = nn.functional.binary_cross_entropy(p.clamp(1e-6, 1 - 1e-6), Yva).item()
        sat = ((p < 0.01) | (p > 0.99)).float().mean().item()
    print(f"epoch {epoch} train {s / 63:.4f} val_bce(true probs) {bce:.4f} val_acc {acc:.3f} frac of outputs saturated {sat:.2f}")

with torch.no_grad():
    ptr = prob(model(Xtr).squeeze(1))
    tl = nn.functional.binary_cross_entropy(ptr.clamp(1e-6, 1 - 1e-6), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(bce, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4),
                                      "output_saturated_frac": round(sat, 3), "chance_acc": round(max(Yva.mean().item(), 1 - Yva.mean().item()), 3)}))
