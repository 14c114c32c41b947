# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, dead_units, high_bias
# forbid: *
# evidence: step-0 per-layer weight grad norms input->output planted [6.7e6, 8.4e5, 9.0e4, 1.0e4, 9.4e2, 1.1e2, 1.3e1, 2.9] vs control [0.67, 0.84, 0.90, 1.0, 0.94, 1.1, 1.3, 2.9]; planted loss/val_loss become NaN, val_acc 0.10; control val_acc 0.953, val_loss 0.367
# control: --control
# native-log: events.jsonl
# log-expect:
# log-allow: learning_rate_too_high, non_finite, non_convergence, exploding_gradients, high_bias
"""An 8-layer ReLU MLP where the author, worried about vanishing gradients, registered a tensor
hook on every hidden activation that multiplies the incoming gradient by 10 ("gradient boost").
The factors compound: layer k from the top gets 10**k times its true gradient, so the lower
layers' gradients are 1e6-1e7 too large and SGD blows up. --control: factor 1 (no boost)."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
BOOST = 1.0 if CONTROL else 10.0
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=6, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
class Deep(nn.Module):
    def __init__(self):
        super().__init__()
        dims = [64] + [64] * 7
        self.hidden = nn.ModuleList([nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:])])
        self.out = nn.Linear(64, 10)
        for l in self.hidden: nn.init.kaiming_normal_(l.weight, nonlinearity="relu"); nn.init.zeros_(l.bias)
    def forward(self, x):
        h = x
        for l in self.hidden:
            h = F.relu(l(h))
            if h.requires_grad: h.register_hook(lambda g: g * BOOST)
        return self.out(h)
model = Deep()
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
log = open(os.path.join(LOG_DIR, "events.jsonl"), "w"); step = 0
for ep in range(10):
    perm = torch.randperm(len(Xtr)); tot = 0.0; n = 0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        gn = [l.weight.grad.norm().item() for l in model.hidden] + [model.out.weight.grad.norm().item()]
        if step == 0: print("step 0 per-layer grad norms (input->output):", ["%.2e" % g for g in gn])
        opt.step(); step += 1
        tot += loss.item() * len(idx); n += len(idx)
        log.write(json.dumps({"step": step, "loss": loss.item(), "grad_norm": sum(g * g for g in gn) ** 0.5, "lr": 0.02}) + "\n")
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    log.write(json.dumps({"epoch": ep, "step": step, "val_loss": vl, "val_acc": va}) + "\n")
    print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {va:.4f} first-layer grad {gn[0]:.2e} last {gn[-1]:.2e}")
log.close()
def r(v): return round(v, 4) if v == v and abs(v) != float("inf") else str(v)
print("CORPUS_METRIC " + json.dumps({"val_loss": r(vl), "val_acc": round(va, 4), "train_loss": r(tot / n), "chance_acc": 0.1}))
