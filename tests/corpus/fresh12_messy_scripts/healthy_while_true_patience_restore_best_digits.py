# expect:
# allow:
# forbid: *
# evidence: while True loop, eval every 25 its, patience 6 stops at it 425 and restores the best checkpoint: val_acc 0.980 (chance 0.10), val_loss 0.057, train_loss 0.028
# native-log: it_log.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOGD = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOGD, exist_ok=True)
ck = os.path.join(tempfile.mkdtemp(), "best.pt")

X, y = load_digits(return_X_y=True)
X = (X.astype(np.float32) - 4.9) / 6.0
p = np.random.permutation(len(X))
xtr, ytr = torch.tensor(X[p[:1200]]), torch.tensor(y[p[:1200]])
xva, yva = torch.tensor(X[p[1200:]]), torch.tensor(y[p[1200:]])

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
it, eval_every, patience, bad, best = 0, 25, 6, 0, float("inf")
f = open(os.path.join(LOGD, "it_log.jsonl"), "w")
t0 = time.time()
while True:
    model.train()
    idx = torch.randint(0, len(xtr), (24,))
    loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
    opt.zero_grad(); loss.backward(); opt.step()
    it += 1
    if it % eval_every == 0:
        model.eval()
        with torch.no_grad():
            o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        f.write(json.dumps({"step": it, "loss": round(loss.item(), 5), "val_loss": round(vl, 5), "val_acc": round(va, 4), "lr": 0.05}) + "\n")
        if it % 100 == 0:
            print(f"[it {it}] loss={loss.item():.3f} val_loss={vl:.3f} val_acc={va:.3f} ({time.time()-t0:.1f}s)")
        if vl < best - 1e-4:
            best, bad = vl, 0
            torch.save(model.state_dict(), ck)
        else:
            bad += 1
            if bad >= patience:
                print(f"no improvement for {patience} evals, stopping at it {it}")
                break
    if it > 5000:
        break
f.close()
model.load_state_dict(torch.load(ck)); model.eval()
with torch.no_grad():
    o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    tl = F.cross_entropy(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "stopped_at": it, "chance_acc": 0.1}))
sys.exit(0)
