# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (48 train samples): train_loss 0.003 / train_acc 1.0 while val_loss bottoms at 0.815 (step 90) and climbs to 0.868, val_acc 0.71; control (1800 samples, same model and 200 steps): val_loss 0.469 (best 0.424), val_acc 0.83, train_acc 0.94
# control: --control
# native-log: fewshot/log.jsonl
# log-expect: overfitting
# log-allow: high_variance
"""Few-shot: only 48 labelled training samples (6 classes x 8) for a wide 2-hidden-layer MLP, trained
full-batch for 200 steps with Adam. Train loss -> ~0 while val loss bottoms early and then climbs.
Control: the same model and steps with 1800 training samples (the dataset size is the planted cause)."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "fewshot"), exist_ok=True)
g = torch.Generator().manual_seed(0)
K, D = 6, 30
C = 0.5 * torch.randn(K, D, generator=g)
def sample(per):
    y = torch.arange(K).repeat_interleave(per); return C[y] + torch.randn(len(y), D, generator=g), y
Xtr, ytr = sample(300 if CONTROL else 8); Xva, yva = sample(100)
model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, K))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.CrossEntropyLoss()
log = open(os.path.join(LOG_DIR, "fewshot", "log.jsonl"), "w")
best = (1e9, 0)
for step in range(1, 201):
    loss = lossf(model(Xtr), ytr); opt.zero_grad(); loss.backward(); opt.step()
    if step % 10 == 0:
        with torch.no_grad():
            o = model(Xva); vl = lossf(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
            tra = (model(Xtr).argmax(1) == ytr).float().mean().item()
        best = min(best, (vl, step))
        log.write(json.dumps({"step": step, "epoch": step, "train_loss": round(loss.item(), 5), "train_acc": round(tra, 4), "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n")
        if step % 50 == 0: print(f"step {step} train_loss {loss.item():.4f} train_acc {tra:.3f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
print(f"best val_loss {best[0]:.4f} at step {best[1]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(loss.item(), 5), "train_acc": round(tra, 4),
                                    "best_val_loss": round(best[0], 4), "n_train": len(Xtr), "chance_acc": round(1 / K, 4)}))
