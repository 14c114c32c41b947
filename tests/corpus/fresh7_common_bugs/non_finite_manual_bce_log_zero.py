# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: control (BCE with logits) val_acc 0.963 val_loss 0.090; planted (manual log(sigmoid)) loss NaN from step 100 (epoch 2) onward, weights NaN, val_acc 0.512 (chance 0.5)
# control: --control
# native-log: history.jsonl
# log-expect: non_finite
# log-allow: non_convergence
"""Binary spam-score classification on 20 standardised features with a 2-layer MLP and
Adam(lr=3e-3), 10 epochs. Writes its own history.jsonl (one record per epoch).

Planted bug: the loss is a hand-written binary cross-entropy
    -(y * log(sigmoid(z)) + (1 - y) * log(1 - sigmoid(z)))
Once the model gets confident, sigmoid(z) rounds to exactly 1.0 (or 0.0) in float32, log(0)
is -inf and 0 * -inf = NaN; the NaN gradient then poisons every weight.
`--control` uses F.binary_cross_entropy_with_logits (the same loss, computed stably).
"""
import json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

CONTROL = "--control" in sys.argv
torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(4)
w_true = torch.randn(20, generator=g)

def make(n):
    x = torch.randn(n, 20, generator=g)
    z = x @ w_true + 0.8 * torch.sin(3 * x[:, 0]) * x[:, 1]
    return x, (z > 0).float()

xtr, ytr = make(5000)
xva, yva = make(1000)

def bce(z, y):
    if CONTROL:
        return F.binary_cross_entropy_with_logits(z, y)
    p = torch.sigmoid(z)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()   # BUG: log(0) -> -inf, 0*-inf -> nan

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
logf = open(os.path.join(log_dir, "history.jsonl"), "w")
first_nan = None
step = 0
for epoch in range(10):
    perm = torch.randperm(len(xtr))
    losses = []
    for i in range(0, len(xtr), 100):
        idx = perm[i:i + 100]
        z = model(xtr[idx]).squeeze(1)
        loss = bce(z, ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if first_nan is None and not torch.isfinite(loss):
            first_nan = step
        losses.append(loss.item())
        step += 1
    with torch.no_grad():
        zv = model(xva).squeeze(1)
        vl = F.binary_cross_entropy_with_logits(zv, yva).item()
        va = ((zv > 0).float() == yva).float().mean().item()
    tr = sum(losses) / len(losses)
    logf.write(json.dumps({"epoch": epoch, "loss": tr, "val_loss": vl, "val_accuracy": va}) + "\n")
    logf.flush()
    print(f"epoch {epoch}: loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
logf.close()
print(f"probe: first non-finite training loss at step {first_nan} (of {step})")
with torch.no_grad():
    tl = F.binary_cross_entropy_with_logits(model(xtr).squeeze(1), ytr).item()
def r(v):
    return round(v, 4) if v == v else None
print("CORPUS_METRIC " + json.dumps({"val_loss": r(vl), "val_acc": r(va), "train_loss": r(tl), "chance_acc": 0.5}))
