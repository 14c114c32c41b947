"""Multinomial logistic regression from scratch on iris,
W and b plain tensors, hand-written softmax CE, SGD with batch size 4 over index permutations and a
1/t lr decay. The per-step loss is very noisy (batches of 4), while the epoch-level held-out loss
goes down steadily: a healthy look-alike of 'oscillating loss'. JSON-lines log of every step."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.967, val_loss 0.096 (chance 0.333); per-step batch-of-4 loss ranges 0.002-0.47 over the last 10 epochs while epoch val loss falls monotonically 0.33 -> 0.17 -> 0.14 -> 0.12 -> 0.11 -> 0.10 -> 0.096
# native-log: steps.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_iris(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.4, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
W = torch.zeros(4, 3, requires_grad=True); b = torch.zeros(3, requires_grad=True)
ce = lambda z, t: -(torch.log_softmax(z, 1)[torch.arange(len(t)), t]).mean()

log = open(os.path.join(LOG_DIR, "steps.jsonl"), "w")
step = 0
for epoch in range(40):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 4):
        idx = perm[i:i + 4]
        lr = 0.5 / (1 + step / 200)
        loss = ce(Xtr[idx] @ W + b, ytr[idx])
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad; b -= lr * b.grad; W.grad.zero_(); b.grad.zero_()
        rec = {"step": step, "loss": round(loss.item(), 6), "lr": round(lr, 6)}
        step += 1
        if i + 4 >= len(Xtr):
            with torch.no_grad():
                zv = Xva @ W + b; vl = ce(zv, yva).item(); va = (zv.argmax(1) == yva).float().mean().item()
            rec.update({"epoch": epoch, "val_loss": round(vl, 6), "val_acc": round(va, 4)})
            if epoch % 10 == 0 or epoch == 39:
                print(f"epoch {epoch} last-batch loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f} lr {lr:.4f}")
        log.write(json.dumps(rec) + "\n")
log.close()
with torch.no_grad():
    tl = ce(Xtr @ W + b, ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 1 / 3}))
