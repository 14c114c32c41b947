# expect:
# allow: high_variance
# forbid: *
# evidence: healthy; 64 training samples, L2-regularised linear model (the true model class): val_loss 0.534 (step 25) -> 0.483 monotone, val_acc 0.807 vs Bayes acc 0.879 (Bayes loss 0.310), train_loss 0.408 close to val. train_acc 0.906 vs val 0.807 is the sampling gap of a 64-sample split (high_variance allowed for that reason only)
# native-log: tiny64/history.jsonl
# log-expect:
# log-allow: high_variance
"""Tiny dataset done right: 64 labelled samples (2 classes, 12 features), a logistic-regression-sized
model with strong L2 (weight_decay=0.2), full-batch Adam for 150 steps. Train loss stays close to the
val loss; a few-shot run that generalises."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "tiny64"), exist_ok=True)
g = torch.Generator().manual_seed(0)
D = 12
w = torch.zeros(D); w[:4] = torch.tensor([1.0, -0.8, 0.6, 0.5])
def sample(n):
    X = torch.randn(n, D, generator=g); p = torch.sigmoid(2.5 * X @ w)
    return X, (torch.rand(n, generator=g) < p).float()
Xtr, ytr = sample(64); Xva, yva = sample(1000)
model = nn.Linear(D, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.02, weight_decay=0.2)
lossf = nn.BCEWithLogitsLoss()
log = open(os.path.join(LOG_DIR, "tiny64", "history.jsonl"), "w")
for step in range(1, 151):
    loss = lossf(model(Xtr).squeeze(1), ytr); opt.zero_grad(); loss.backward(); opt.step()
    if step % 5 == 0:
        with torch.no_grad():
            o = model(Xva).squeeze(1); vl = lossf(o, yva).item(); va = ((o > 0).float() == yva).float().mean().item()
            tra = ((model(Xtr).squeeze(1) > 0).float() == ytr).float().mean().item()
        log.write(json.dumps({"epoch": step, "step": step, "loss": round(loss.item(), 5), "acc": round(tra, 4), "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n")
        if step % 25 == 0: print(f"step {step} train_loss {loss.item():.4f} train_acc {tra:.3f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
with torch.no_grad():
    pb = torch.sigmoid(2.5 * Xva @ w); bayes_acc = ((pb > 0.5).float() == yva).float().mean().item()
    bayes_loss = nn.functional.binary_cross_entropy(pb, yva).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 4), "train_acc": round(tra, 4),
                                    "bayes_acc": round(bayes_acc, 4), "bayes_loss": round(bayes_loss, 4), "n_train": 64, "chance_acc": 0.5}))
