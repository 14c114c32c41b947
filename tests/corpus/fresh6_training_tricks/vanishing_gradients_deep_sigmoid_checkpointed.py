# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low
# forbid: *
# evidence: 12 sigmoid hidden layers (Xavier init, checkpointed in 3 segments); probe grad-norm ratio first/last Linear 1.5e-08 at step 0; planted val_acc 0.306, val_loss 1.359 (majority rate 0.334) after 8 epochs; --control (same net with ReLU + He init) reaches val_acc 0.836, val_loss 0.457
# control: --control
"""A deep 'old-school' sigmoid MLP, trained with checkpoint_sequential to save memory."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint_sequential

torch.set_num_threads(1)
torch.manual_seed(1)
CONTROL = "--control" in sys.argv

DIM, N_CLASSES, DEPTH, WIDTH = 20, 4, 12, 64
W_true = torch.randn(DIM, N_CLASSES)


def make(n):
    x = torch.randn(n, DIM)
    y = (torch.tanh(x[:, :8]) @ W_true[:8]).argmax(1)
    return x, y


xtr, ytr = make(4000)
xva, yva = make(1000)
act = nn.ReLU if CONTROL else nn.Sigmoid
layers = [nn.Linear(DIM, WIDTH), act()]
for _ in range(DEPTH - 1):
    layers += [nn.Linear(WIDTH, WIDTH), act()]
layers += [nn.Linear(WIDTH, N_CLASSES)]
model = nn.Sequential(*layers)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
linears = [m for m in model if isinstance(m, nn.Linear)]
for m in linears:  # the textbook init for each activation: He for ReLU, Xavier (Glorot) for sigmoid
    if CONTROL:
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
    else:
        nn.init.xavier_normal_(m.weight)
    nn.init.zeros_(m.bias)

step = 0
for epoch in range(8):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        xb = xtr[idx].requires_grad_(True)
        out = checkpoint_sequential(model, 3, xb, use_reentrant=False)
        loss = F.cross_entropy(out, ytr[idx])
        opt.zero_grad()
        loss.backward()
        if step == 0:
            g_first = linears[0].weight.grad.norm().item()
            g_last = linears[-1].weight.grad.norm().item()
            print(f"probe step0 grad norm first {g_first:.2e} last {g_last:.2e} ratio {g_first / g_last:.2e}")
        opt.step()
        step += 1
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))
