# expect:
# allow:
# forbid: *
# evidence: healthy; 30 full-batch Adam steps: loss 0.719 -> 0.286, val_loss 0.664 -> 0.254 (monotone), val_acc 0.898 vs Bayes acc on the same val set 0.913 (chance 0.5)
# native-log: fullbatch_log.jsonl
# log-expect:
# log-allow:
"""Full-batch training: one optimizer step per epoch, 30 steps in all. Loss drops fast and converges;
the whole run is only 30 logged points."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
g = torch.Generator().manual_seed(0)
D = 20
wtrue = torch.randn(D, generator=g)
def sample(n):
    X = torch.randn(n, D, generator=g)
    logit = 2.0 * (X @ wtrue) / D ** 0.5 + 0.8 * (X[:, 0] * X[:, 1])
    return X, (torch.rand(n, generator=g) < torch.sigmoid(2 * logit)).float()
Xtr, ytr = sample(2000); Xva, yva = sample(400)
model = nn.Sequential(nn.Linear(D, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.AdamW(model.parameters(), lr=0.03, weight_decay=0.05)
lossf = nn.BCEWithLogitsLoss()
log = open(os.path.join(LOG_DIR, "fullbatch_log.jsonl"), "w")
for epoch in range(30):
    model.train(); loss = lossf(model(Xtr).squeeze(1), ytr)
    opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        o = model(Xva).squeeze(1); vl = lossf(o, yva).item(); va = ((o > 0).float() == yva).float().mean().item()
    log.write(json.dumps({"epoch": epoch, "step": epoch + 1, "loss": round(loss.item(), 5), "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n")
    print(f"epoch {epoch:2d} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
with torch.no_grad():
    p = torch.sigmoid(2 * (2.0 * (Xva @ wtrue) / D ** 0.5 + 0.8 * (Xva[:, 0] * Xva[:, 1])))
    bayes_acc = ((p > 0.5).float() == yva).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 4),
                                    "bayes_acc_on_val": round(bayes_acc, 4), "chance_acc": 0.5}))
