"""Two-layer MLP from plain tensors on digits with a cosine schedule with warm restarts (SGDR)
written by hand (cycle lengths 3, 6, 12 epochs, lr_max 0.3 -> lr_min 0.001) and a hand-written
SGD step. The batch loss jumps up at every restart (lr back to 0.3) and then comes back down below
its previous level: the expected SGDR saw-tooth, not instability. CSV log with an lr column."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.973, val_loss 0.083 (chance 0.10); at restarts (epochs 3 and 9-11, lr back to 0.3) val loss jumps 0.283 -> 0.732 and 0.133 -> 0.233, then each cycle ends lower: 0.283, 0.133, 0.083; train loss 0.060
# native-log: sgdr.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, math
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X / 16.0, y, test_size=0.25, random_state=7, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
W1 = (torch.randn(64, 100) * (2 / 64) ** 0.5).requires_grad_(); b1 = torch.zeros(100, requires_grad=True)
W2 = (torch.randn(100, 10) * (1 / 100) ** 0.5).requires_grad_(); b2 = torch.zeros(10, requires_grad=True)
params = [W1, b1, W2, b2]
fwd = lambda x: torch.relu(x @ W1 + b1) @ W2 + b2
ce = lambda z, t: -(torch.log_softmax(z, 1)[torch.arange(len(t)), t]).mean()

cycles = [3, 6, 12]
bs = 32
spe = math.ceil(len(Xtr) / bs)
lr_max, lr_min = 0.3, 0.001
log = open(os.path.join(LOG_DIR, "sgdr.csv"), "w"); log.write("step,epoch,lr,loss,val_loss,val_acc\n")
step, epoch = 0, 0
for T in cycles:
    for e in range(T):
        perm = torch.randperm(len(Xtr))
        for k, i in enumerate(range(0, len(Xtr), bs)):
            t_cur = (e * spe + k) / (T * spe)
            lr = lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * t_cur))
            idx = perm[i:i + bs]
            loss = ce(fwd(Xtr[idx]), ytr[idx]); loss.backward()
            with torch.no_grad():
                for p in params: p -= lr * p.grad; p.grad.zero_()
            if step % 5 == 0:
                log.write(f"{step},{epoch},{lr:.6f},{loss.item():.6f},,\n")
            step += 1
        with torch.no_grad():
            zv = fwd(Xva); vl = ce(zv, yva).item(); va = (zv.argmax(1) == yva).float().mean().item()
            tl = ce(fwd(Xtr), ytr).item()
        log.write(f"{step},{epoch},{lr:.6f},{loss.item():.6f},{vl:.6f},{va:.4f}\n")
        print(f"epoch {epoch} (cycle len {T}) lr_end {lr:.4f} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
        epoch += 1
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "chance_acc": 0.1}))
