# expect:
# allow:
# forbid: *
# evidence: ensemble val_acc 0.968, val_loss 0.057 (flat at ~0.057 from epoch 30 on) while member train loss -> 0.001; chance 0.40
"""Five small MLPs trained at once as a vmapped ensemble: parameters are
stacked with torch.func.stack_module_state and the forward is
vmap(functional_call) over the model axis. Each member gets its own
bootstrap-free shuffled batches; predictions are averaged at eval."""
import copy
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import stack_module_state, functional_call
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

torch.manual_seed(12)
torch.set_num_threads(1)

X, y = load_wine(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.35, random_state=6, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32)
Xte = torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

K = 5
members = [nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3)) for _ in range(K)]
params, buffers = stack_module_state(members)
base = copy.deepcopy(members[0]).to("meta")


def fmodel(p, b, x):
    return functional_call(base, (p, b), (x,))


ens_forward = torch.vmap(fmodel, in_dims=(0, 0, 0))
opt = torch.optim.Adam(params.values(), lr=5e-3, weight_decay=1e-4)

for epoch in range(60):
    perms = torch.stack([torch.randperm(len(Xtr)) for _ in range(K)])
    ep_loss = 0.0
    for i in range(0, len(Xtr), 16):
        idx = perms[:, i:i + 16]                   # (K, B)
        xb, yb = Xtr[idx], ytr[idx]                 # (K, B, 13), (K, B)
        logits = ens_forward(params, buffers, xb)   # (K, B, 3)
        loss = F.cross_entropy(logits.reshape(-1, 3), yb.reshape(-1)) * K
        opt.zero_grad()
        loss.backward()
        opt.step()
        ep_loss += loss.item() / K * idx.shape[1]
    with torch.no_grad():
        te_logits = ens_forward(params, buffers, Xte.expand(K, -1, -1))
        probs = te_logits.softmax(-1).mean(0)
        val_loss = F.nll_loss(probs.clamp_min(1e-8).log(), yte).item()
        val_acc = (probs.argmax(1) == yte).float().mean().item()
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1} member_train_loss {ep_loss / len(Xtr):.4f} ens_val_loss {val_loss:.4f} "
              f"ens_val_acc {val_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(ep_loss / len(Xtr), 4), "chance_acc": 0.4}))
