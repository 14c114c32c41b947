# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (SGD lr=0.02) reaches val_loss 0.025 / val_acc 0.99 in 5000 steps; planted (lr=1e-5) ends at val_loss 1.646 / val_acc 0.26 (chance loss 1.609, acc 0.2); probe: median per-step update/weight ratio of layer 2 is 2.0e-6 planted vs 1.4e-4 control
# control: --control
# native-log: lowlr_run.jsonl
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""A long run (5000 steps of batch 8) whose SGD lr is 1e-5 (control: 0.02). The loss creeps down
almost imperceptibly; per-step updates are ~1e-6 of the weight norm."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LR = 0.02 if CONTROL else 1e-5
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
g = torch.Generator().manual_seed(3)
K, D = 5, 10
C = 1.5 * torch.randn(K, D, generator=g)
def sample(n):
    y = torch.randint(0, K, (n,), generator=g); return C[y] + torch.randn(n, D, generator=g), y
Xtr, ytr = sample(1000); Xva, yva = sample(500)
model = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, K))
opt = torch.optim.SGD(model.parameters(), lr=LR)
lossf = nn.CrossEntropyLoss()
log = open(os.path.join(LOG_DIR, "lowlr_run.jsonl"), "w")
run = 0.0; ratios = []
for step in range(1, 5001):
    idx = torch.randint(0, 1000, (8,), generator=g)
    loss = lossf(model(Xtr[idx]), ytr[idx])
    opt.zero_grad(); loss.backward()
    if step % 500 == 0:
        W = model[2].weight; ratios.append((LR * W.grad.norm() / W.norm()).item())
    opt.step(); run += loss.item()
    if step % 250 == 0:
        with torch.no_grad(): o = model(Xva); vl = lossf(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        log.write(json.dumps({"step": step, "epoch": step * 8 // 1000, "train_loss": round(run / 250, 5), "val_loss": round(vl, 5), "val_acc": round(va, 4), "lr": LR}) + "\n")
        if step % 1000 == 0: print(f"step {step} train_loss {run / 250:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
        run = 0.0
log.close()
print(f"probe: median update/weight ratio of layer 2 per step = {np.median(ratios):.2e}")
with torch.no_grad(): trl = lossf(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "chance_acc": 0.2,
                                    "chance_loss": round(math.log(K), 4), "update_ratio": float(np.median(ratios))}))
