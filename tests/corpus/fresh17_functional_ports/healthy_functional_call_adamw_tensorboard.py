"""nn.Module called through torch.func.functional_call with params held outside the module;
AdamW written out by hand with decoupled weight decay; TensorBoard event dir (train/loss, eval/accuracy)."""
# expect:
# allow:
# forbid: *
# evidence: eval/accuracy 0.987 on 450 held-out digits (chance 0.10), eval/loss 0.060, train loss 0.003; decoupled wd by hand, no bias decay
# native-log: tb
# log-expect:
# log-allow:
import os, json, math, random, tempfile
import numpy as np, torch, torch.nn as nn
from torch.func import functional_call
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))

X, y = load_digits(return_X_y=True)
X = X.reshape(-1, 1, 8, 8) / 16.0
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=3, stratify=y)
Xtr, Xte = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xte, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)
mean, std = Xtr.mean(), Xtr.std()
Xtr, Xte = (Xtr - mean) / std, (Xte - mean) / std

class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.head = nn.Linear(32 * 4 * 4, 10)
    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.head(x.flatten(1))

model = CNN()
params = {k: v.detach().clone() for k, v in model.named_parameters()}
opt_state = {"m": {k: torch.zeros_like(v) for k, v in params.items()},
             "v": {k: torch.zeros_like(v) for k, v in params.items()}, "t": 0}
LR, WD, B1, B2 = 2e-3, 1e-2, 0.9, 0.999

def adamw(params, grads, s):
    s["t"] += 1
    out = {}
    for k in params:
        s["m"][k] = B1 * s["m"][k] + (1 - B1) * grads[k]
        s["v"][k] = B2 * s["v"][k] + (1 - B2) * grads[k] ** 2
        mh, vh = s["m"][k] / (1 - B1 ** s["t"]), s["v"][k] / (1 - B2 ** s["t"])
        decay = WD * params[k] if params[k].ndim > 1 else 0.0  # no decay on biases
        out[k] = params[k] - LR * (mh / (vh.sqrt() + 1e-8) + decay)
    return out

def loss_fn(p, xb, yb):
    logits = functional_call(model, p, (xb,))
    return nn.functional.cross_entropy(logits, yb)

gen = torch.Generator().manual_seed(11)
step = 0
for epoch in range(12):
    perm = torch.randperm(len(Xtr), generator=gen)
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        p = {k: v.requires_grad_(True) for k, v in params.items()}
        loss = loss_fn(p, Xtr[idx], ytr[idx])
        g = dict(zip(p, torch.autograd.grad(loss, list(p.values()))))
        with torch.no_grad():
            params = adamw({k: v.detach() for k, v in p.items()}, g, opt_state)
        step += 1
        writer.add_scalar("train/loss", loss.item(), step)
        writer.add_scalar("train/learning_rate", LR, step)
    with torch.no_grad():
        lo = functional_call(model, params, (Xte,))
        el = nn.functional.cross_entropy(lo, yte).item(); ea = (lo.argmax(1) == yte).float().mean().item()
    writer.add_scalar("eval/loss", el, step); writer.add_scalar("eval/accuracy", ea, step)
    print(f"[epoch {epoch}] step={step} train_loss={loss.item():.4f} eval_loss={el:.4f} eval_accuracy={ea:.4f}")
writer.close()
with torch.no_grad():
    tl = nn.functional.cross_entropy(functional_call(model, params, (Xtr,)), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el, 4), "val_acc": round(ea, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
