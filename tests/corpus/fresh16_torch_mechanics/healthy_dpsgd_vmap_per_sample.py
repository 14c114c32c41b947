# expect:
# allow:
# forbid: *
# evidence: DP-SGD (vmap per-sample grads, clip C=1, noise sigma 0.8): val_acc 0.947, val_loss 0.192, train_loss 0.177 (chance 0.10); clipped fraction falls 1.00 -> 0.27; metric: val_acc
# native-log: dp_train.jsonl
# log-expect:
# log-allow:
"""DP-SGD style training: per-sample gradients via torch.func (functional_call + grad + vmap),
per-sample clipping to norm C and Gaussian noise, manual parameter update. The per-step loss is
noisy because of the noise, but the model reaches a good val accuracy on digits."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.func import functional_call, grad, vmap
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 10))
params = {k: v.detach() for k, v in model.named_parameters()}

def loss_one(p, x, t):
    out = functional_call(model, p, (x.unsqueeze(0),))
    return F.cross_entropy(out, t.unsqueeze(0))
ps_grad = vmap(grad(loss_one), in_dims=(None, 0, 0))
C, sigma, lr, B = 1.0, 0.8, 0.5, 64
log = open(os.path.join(LOG_DIR, "dp_train.jsonl"), "w")
step = 0
for ep in range(6):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr) - B + 1, B):
        idx = perm[i:i + B]
        g = ps_grad(params, Xtr[idx], ytr[idx])
        norms = torch.sqrt(sum((v.reshape(B, -1) ** 2).sum(1) for v in g.values()))
        factor = (C / (norms + 1e-6)).clamp(max=1.0)
        with torch.no_grad():
            for k in params:
                gs = (g[k] * factor.view(-1, *[1] * (g[k].dim() - 1))).sum(0)
                gs = gs + sigma * C * torch.randn_like(gs)
                params[k] = params[k] - lr * gs / B
            loss = F.cross_entropy(functional_call(model, params, (Xtr[idx],)), ytr[idx]).item()
        step += 1
        log.write(json.dumps({"step": step, "epoch": ep, "train_loss": round(loss, 5), "lr": lr}) + "\n")
    with torch.no_grad():
        out = functional_call(model, params, (Xva,))
        vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        tl = F.cross_entropy(functional_call(model, params, (Xtr,)), ytr).item()
    log.write(json.dumps({"step": step, "epoch": ep, "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n")
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} clipped_frac {(norms > C).float().mean():.2f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
