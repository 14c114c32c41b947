# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: 99:1 data; planted (plain BCE): val_acc 0.990 but minority recall 0.0, frac predicted positive 0.000, balanced acc 0.50; control (pos_weight=99): minority recall 0.95, balanced acc 0.84 (0.77 on a balanced probe set)
# control: --control
# native-log: imbalance/metrics.jsonl
# log-expect:
# log-allow: class_imbalance, non_convergence
"""Fraud-like binary task, 99:1 negatives to positives, transaction features (amounts standardised via
log). Plain BCE: the model learns to output 'not fraud' for everything; loss ~0.05 and 99% accuracy look
great. Control: the same data with the imbalance handled by pos_weight = n_neg/n_pos (only change).
Reported: minority recall and balanced accuracy on a held-out split with the same 99:1 ratio."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "imbalance"), exist_ok=True)
g = torch.Generator().manual_seed(0)
D = 8
mu_pos = torch.tensor([1.2, -1.0, 0.8, 0, 0, 0.6, 0, 0])
def sample(n_neg, n_pos):
    Xn = torch.randn(n_neg, D, generator=g); Xp = mu_pos + torch.randn(n_pos, D, generator=g)
    X = torch.cat([Xn, Xp]); y = torch.cat([torch.zeros(n_neg), torch.ones(n_pos)]); p = torch.randperm(len(y), generator=g)
    return X[p], y[p]
Xtr, ytr = sample(4950, 50); Xva, yva = sample(1980, 20)
Xva2, yva2 = sample(1000, 1000)   # balanced probe set for recall
pw = ((ytr == 0).sum() / (ytr == 1).sum()).float() if CONTROL else None
lossf = nn.BCEWithLogitsLoss(pos_weight=pw)
model = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
log = open(os.path.join(LOG_DIR, "imbalance", "metrics.jsonl"), "w")
def evaluate(X, y):
    with torch.no_grad():
        o = model(X).squeeze(1); p = (o > 0).float()
    rec = ((p == 1) & (y == 1)).sum().item() / max(1, (y == 1).sum().item()); spec = ((p == 0) & (y == 0)).sum().item() / max(1, (y == 0).sum().item())
    return nn.functional.binary_cross_entropy_with_logits(o, y).item(), (p == y).float().mean().item(), rec, (rec + spec) / 2, p.mean().item()
step = 0
for epoch in range(12):
    perm = torch.randperm(5000); tot = 0.0
    for i in range(0, 5000, 100):
        idx = perm[i:i + 100]; loss = lossf(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
    vl, va, rec, bal, ppos = evaluate(Xva, yva)
    _, _, rec2, bal2, _ = evaluate(Xva2, yva2)
    log.write(json.dumps({"epoch": epoch, "step": step, "train_loss": round(tot / 5000, 5), "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n")
    print(f"epoch {epoch:2d} train_loss {tot / 5000:.4f} val_loss {vl:.4f} val_acc {va:.4f} minority_recall {rec:.3f} (balanced probe {rec2:.3f}) bal_acc {bal:.3f} frac_pred_pos {ppos:.4f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_minority_recall": round(rec, 4), "probe_minority_recall": round(rec2, 4),
                                    "val_balanced_acc": round(bal, 4), "probe_balanced_acc": round(bal2, 4), "frac_pred_positive": round(ppos, 4), "majority_frac": 0.99, "train_loss": round(tot / 5000, 4)}))
