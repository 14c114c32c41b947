# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.965 (chance 0.5), val_loss 0.089, train 0.065
# native-log: spam_history.jsonl
# log-expect:
# log-allow:
"""Binary spam-score classification on 20 standardised features with a 2-layer MLP,
Adam(lr=3e-3) and ReduceLROnPlateau on the val loss, 10 epochs; the loss is
nn.BCEWithLogitsLoss (numerically stable). Healthy twin of non_finite_manual_bce_log_zero.py.
Writes its own spam_history.jsonl (one record per epoch, with the lr).
"""
import json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

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

bce = nn.BCEWithLogitsLoss()

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
logf = open(os.path.join(log_dir, "spam_history.jsonl"), "w")
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
    logf.write(json.dumps({"epoch": epoch, "lr": opt.param_groups[0]["lr"], "loss": tr, "val_loss": vl,
                           "val_accuracy": va}) + "\n")
    plateau.step(vl)
    logf.flush()
    print(f"epoch {epoch}: loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
logf.close()
print(f"probe: first non-finite training loss at step {first_nan} (of {step})")
with torch.no_grad():
    tl = F.binary_cross_entropy_with_logits(model(xtr).squeeze(1), ytr).item()
def r(v):
    return round(v, 4) if v == v else None
print("CORPUS_METRIC " + json.dumps({"val_loss": r(vl), "val_acc": r(va), "train_loss": r(tl), "chance_acc": 0.5}))
