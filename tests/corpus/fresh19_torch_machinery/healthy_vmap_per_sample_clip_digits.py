# expect:
# allow:
# forbid: *
# evidence: val_acc 0.971, val_loss 0.093 (flat ~0.09 over the last 10 epochs), train_loss 0.019; chance 0.10
"""Per-sample gradient clipping (DP-SGD style, no noise) with torch.func.

The model's parameters are pulled out into a dict and gradients are computed
per example with vmap(grad(...)), clipped to a max L2 norm, averaged, and
applied by hand with momentum.
"""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, vmap, grad
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
torch.set_num_threads(1)

X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
sd[sd < 1e-2] = 1.0  # constant border pixels
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32)
Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr)
yva = torch.tensor(yva)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


model = Net()
params = {k: v.detach().clone() for k, v in model.named_parameters()}
velocity = {k: torch.zeros_like(v) for k, v in params.items()}


def sample_loss(p, x, t):
    logits = functional_call(model, p, (x.unsqueeze(0),))
    return F.cross_entropy(logits, t.unsqueeze(0))


per_sample_grads = vmap(grad(sample_loss), in_dims=(None, 0, 0))

MAX_NORM = 1.0
LR = 0.1
MOM = 0.9
BATCH = 64

for epoch in range(30):
    perm = torch.randperm(len(Xtr))
    running = 0.0
    for i in range(0, len(perm), BATCH):
        idx = perm[i:i + BATCH]
        g = per_sample_grads(params, Xtr[idx], ytr[idx])
        # flat per-example norm across all tensors
        norms = torch.sqrt(sum((gi.flatten(1) ** 2).sum(1) for gi in g.values()))
        scale = (MAX_NORM / (norms + 1e-6)).clamp(max=1.0)
        with torch.no_grad():
            for k in params:
                gk = (g[k] * scale.view(-1, *([1] * (g[k].dim() - 1)))).mean(0)
                velocity[k].mul_(MOM).add_(gk)
                params[k] -= LR * velocity[k]
            running += F.cross_entropy(functional_call(model, params, (Xtr[idx],)), ytr[idx]).item() * len(idx)
    with torch.no_grad():
        out = functional_call(model, params, (Xva,))
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch:02d} train_loss {running / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")

with torch.no_grad():
    tl = F.cross_entropy(functional_call(model, params, (Xtr,)), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.1}))
