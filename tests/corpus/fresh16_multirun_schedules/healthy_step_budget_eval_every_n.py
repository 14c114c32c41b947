# expect:
# allow:
# forbid: *
# evidence: after 900 steps (12 epochs) val_acc 0.967 vs Bayes-rule accuracy 0.978 on the same val set (chance 0.25), val_loss 0.138, train_loss 0.024; batch losses range 0.002-0.09 at the end (batch size 16)
# native-log: steps.csv
# log-expect:
# log-allow:
"""Training driven by a step budget, not epochs: a while-loop runs until 900 optimizer steps
(small batches of 16, so the per-step loss is noisy), with an evaluation every 75 steps.
The log mixes granularities: one row per 25 steps (train loss only) and one row per
evaluation (val loss/acc), both with step and the current epoch. Wine-like synthetic
4-class tabular task. Adam with linear warmup (50 steps) then cosine decay."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "steps.csv"), "w")
log.write("step,epoch,lr,train_loss,val_loss,val_acc\n")

g = torch.Generator().manual_seed(3)
C = torch.randn(4, 16, generator=g) * 1.2
def make(n):
    y = torch.randint(0, 4, (n,), generator=g)
    return C[y] + torch.randn(n, 16, generator=g), y
Xtr, ytr = make(1200); Xva, yva = make(400)

model = nn.Sequential(nn.Linear(16, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 4))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
BUDGET, WARM, EVAL_EVERY, LOG_EVERY, BS = 900, 50, 75, 25, 16
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / WARM if s < WARM else 0.5 * (1 + math.cos(math.pi * (s - WARM) / (BUDGET - WARM))))
lossf = nn.CrossEntropyLoss()
step, epoch, pos, perm, run = 0, 0, 0, torch.randperm(len(Xtr)), []
while step < BUDGET:
    if pos >= len(Xtr):
        epoch += 1; pos = 0; perm = torch.randperm(len(Xtr))
        print(f"-- epoch {epoch} begins at step {step}")
    idx = perm[pos:pos + BS]; pos += BS
    model.train()
    loss = lossf(model(Xtr[idx]), ytr[idx]); opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    step += 1; run.append(loss.item())
    if step % LOG_EVERY == 0:
        log.write(f"{step},{epoch},{sched.get_last_lr()[0]:.6f},{np.mean(run):.5f},,\n"); run = []
    if step % EVAL_EVERY == 0:
        model.eval()
        with torch.no_grad():
            out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        log.write(f"{step},{epoch},{sched.get_last_lr()[0]:.6f},,{vl:.5f},{va:.4f}\n")
        print(f"step {step}/{BUDGET} epoch {epoch} lr {sched.get_last_lr()[0]:.2e} batch_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f}")
log.close()
with torch.no_grad():
    tl = lossf(model(Xtr), ytr).item()
bayes = (torch.cdist(Xva, C).argmin(1) == yva).float().mean().item()  # nearest true class centre = Bayes rule
print(f"Bayes-rule accuracy on val: {bayes:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25,
                                     "bayes_acc": round(bayes, 4)}))
