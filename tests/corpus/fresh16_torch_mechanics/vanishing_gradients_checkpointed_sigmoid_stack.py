# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, learning_rate_too_low
# forbid: *
# evidence: final per-layer grad norms input->output planted (sigmoid) 2.2e-10 ... 2.7e-1 (ratio first/last 8e-10) vs control (ReLU+kaiming) 0.12 ... 0.16 (ratio 0.80); planted val_acc 0.102, val_loss 2.304 vs control val_acc 0.924, val_loss 0.368
# control: --control
"""A 12-layer sigmoid MLP built as a nested nn.Sequential in a loop, every block run under
torch.utils.checkpoint to save memory. Sigmoid's derivative (<=0.25) compounds over 12 layers,
so the bottom layers get ~1e-7 of the top layer's gradient and the net stays near chance.
--control: the same depth and checkpointing with ReLU + kaiming init (the only change)."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.checkpoint import checkpoint
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
blocks = nn.Sequential()
for i in range(12):
    lin = nn.Linear(64, 64)
    if CONTROL: nn.init.kaiming_normal_(lin.weight, nonlinearity="relu"); nn.init.zeros_(lin.bias)
    blocks.add_module(f"b{i}", nn.Sequential(lin, nn.ReLU() if CONTROL else nn.Sigmoid()))
head = nn.Linear(64, 10)
def model(x):
    h = x
    for b in blocks: h = checkpoint(b, h, use_reentrant=False)
    return head(h)
params = list(blocks.parameters()) + list(head.parameters())
opt = torch.optim.SGD(params, lr=0.01, momentum=0.9)
for ep in range(8):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    gn = [b[0].weight.grad.norm().item() for b in blocks]
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} grad b0 {gn[0]:.2e} b11 {gn[-1]:.2e}")
print("per-layer grad norms (input->output):", ["%.1e" % g for g in gn])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1, "grad_ratio_first_last": gn[0] / max(gn[-1], 1e-30)}))
