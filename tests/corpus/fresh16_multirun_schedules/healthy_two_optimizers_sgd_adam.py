# expect:
# allow:
# forbid: *
# evidence: val_acc 0.993 vs Bayes-rule accuracy 0.997 (chance 0.333), val_loss 0.027, train_loss 0.0012; the SGD group steps 0.05 -> 0.015 -> 0.0045 while the Adam group stays at 3e-3
# native-log: two_opt.csv
# log-expect:
# log-allow:
"""Two optimisers in one loop: an embedding-bag text-like model where the sparse-ish
embedding table is trained with Adam (lr 3e-3) and the dense classifier with SGD+momentum
(lr 0.05), each with its own scheduler (StepLR for SGD, none for Adam). Synthetic
bag-of-tokens classification (vocab 300, 3 classes, each class prefers its own token
subset). Logged per epoch with both lrs."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "two_opt.csv"), "w")
log.write("epoch,step,lr_adam,lr_sgd,train_loss,val_loss,val_acc\n")

V, L, K = 300, 20, 3
g = torch.Generator().manual_seed(0)
pref = torch.rand(K, V, generator=g) ** 4 + 0.05
def make(n):
    y = torch.randint(0, K, (n,), generator=g)
    toks = torch.multinomial(pref[y], L, replacement=True, generator=g)
    return toks, y
Xtr, ytr = make(2000); Xva, yva = make(600)

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(V, 32, mode="mean")
        self.clf = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, K))
    def forward(self, t):
        return self.clf(self.emb(t))
model = Model()
opt_adam = torch.optim.Adam(model.emb.parameters(), lr=3e-3)
opt_sgd = torch.optim.SGD(model.clf.parameters(), lr=0.05, momentum=0.9)
sched_sgd = torch.optim.lr_scheduler.StepLR(opt_sgd, step_size=6, gamma=0.3)
lossf = nn.CrossEntropyLoss()
step = 0
for ep in range(14):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt_adam.zero_grad(); opt_sgd.zero_grad(); loss.backward(); opt_adam.step(); opt_sgd.step()
        step += 1; tot += loss.item() * len(idx)
    sched_sgd.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    tl = tot / len(Xtr)
    log.write(f"{ep},{step},{opt_adam.param_groups[0]['lr']},{opt_sgd.param_groups[0]['lr']:.5f},{tl:.5f},{vl:.5f},{va:.4f}\n")
    print(f"epoch {ep} step {step} lr_adam {opt_adam.param_groups[0]['lr']:.4f} lr_sgd {opt_sgd.param_groups[0]['lr']:.4f} "
          f"train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
log.close()
# Bayes rule with the true generating distribution (naive Bayes over tokens is exact here)
with torch.no_grad():
    logp = torch.log(pref / pref.sum(1, keepdim=True))
    bayes = (logp[:, Xva].sum(2).argmax(0) == yva).float().mean().item()
print(f"Bayes-rule accuracy on val: {bayes:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": 0.333, "bayes_acc": round(bayes, 4)}))
