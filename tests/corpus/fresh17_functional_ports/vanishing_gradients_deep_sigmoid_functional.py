"""Port of an old TF1-style deep sigmoid MLP (12 Dense layers, tf.nn.sigmoid, glorot init) into a
nn.Module called through torch.func.functional_call, with per-layer gradient norms computed by
torch.autograd.grad on the params dict. Gradients shrink ~4x per sigmoid layer toward the input.
--control swaps sigmoid for ReLU with He init (the activation is the only planted cause)."""
# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, poor_initialization
# forbid: *
# evidence: probe: per-layer grad norms at step 1, first/last hidden layer ratio 4.1e-7 (layer0 ~3e-8 vs layer11 ~0.2 at the end); control (ReLU+He) ratio 1.13; planted stuck at val_loss 2.311, val_acc 0.10 (chance 0.10), control val_acc 0.951 val_loss 0.306
# control: --control
import sys, json, math, random
import numpy as np, torch, torch.nn as nn
from torch.func import functional_call
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_digits(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); sd[sd < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

DEPTH, W = 12, 64
class DeepMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(64 if i == 0 else W, W) for i in range(DEPTH)])
        self.out = nn.Linear(W, 10)
        for l in self.layers:
            if CONTROL: nn.init.kaiming_normal_(l.weight, nonlinearity="relu")
            else: nn.init.xavier_uniform_(l.weight)
            nn.init.zeros_(l.bias)
        self.act = torch.relu if CONTROL else torch.sigmoid
    def forward(self, x):
        for l in self.layers: x = self.act(l(x))
        return self.out(x)
model = DeepMLP()
params = {k: v.detach().clone() for k, v in model.named_parameters()}

def layer_grad_norms(grads):
    return [grads[f"layers.{i}.weight"].norm().item() for i in range(DEPTH)]
LR, MOM = 0.01, 0.9
vel = {k: torch.zeros_like(v) for k, v in params.items()}
gen = torch.Generator().manual_seed(1)
step, first_norms = 0, None
for epoch in range(12):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        p = {k: v.requires_grad_(True) for k, v in params.items()}
        loss = nn.functional.cross_entropy(functional_call(model, p, (Xtr[idx],)), ytr[idx])
        grads = dict(zip(p, torch.autograd.grad(loss, list(p.values()))))
        if first_norms is None:
            first_norms = layer_grad_norms(grads)
            print("probe step 1 per-layer grad norms (input -> output): " + " ".join(f"{n:.2e}" for n in first_norms))
        with torch.no_grad():
            for k in params:
                vel[k] = MOM * vel[k] + grads[k]
                params[k] = (params[k] - LR * vel[k]).detach()
        step += 1
    if epoch % 3 == 2:
        with torch.no_grad():
            lo = functional_call(model, params, (Xte,)); vl = nn.functional.cross_entropy(lo, yte).item(); va = (lo.argmax(1) == yte).float().mean().item()
        ln = layer_grad_norms(grads)
        print(f"[epoch {epoch}] train_loss={loss.item():.4f} eval_loss={vl:.4f} eval_accuracy={va:.4f} grad_norm layer0={ln[0]:.2e} layer{DEPTH-1}={ln[-1]:.2e}")
with torch.no_grad():
    lo = functional_call(model, params, (Xte,)); vl = nn.functional.cross_entropy(lo, yte).item(); va = (lo.argmax(1) == yte).float().mean().item()
    tl = nn.functional.cross_entropy(functional_call(model, params, (Xtr,)), ytr).item()
ratio = first_norms[0] / first_norms[-1]
print(f"probe: first/last hidden layer grad-norm ratio at step 1 = {ratio:.2e}; at the end = {ln[0] / ln[-1]:.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "grad_ratio_first_last_step1": float(f"{ratio:.3e}")}))
