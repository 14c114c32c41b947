# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: 2 epochs at lr 1e-2 (val_loss 2.13 -> 1.71), resume re-creates SGD with lr 1e-5: 18 more epochs move val_loss only 1.705 -> 1.694, val_acc 0.789; control (resume lr 1e-2) val_loss 0.145, val_acc 0.954
# control: --control
# native-log: resume_run/metrics.jsonl
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
"""Phase 1 trains a few epochs and checkpoints; phase 2 'resumes': loads the model weights
but builds a new optimizer from a config value that has a typo (1e-5 instead of 1e-2)."""
import os, sys, json, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
run_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "resume_run")
os.makedirs(run_dir, exist_ok=True)
ckpt_dir = tempfile.mkdtemp()
RESUME_LR = 1e-5 if "--control" not in sys.argv else 1e-2

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
p = np.random.permutation(len(X))
Xtr, ytr = torch.tensor(X[p[:1300]]), torch.tensor(y[p[:1300]])
Xva, yva = torch.tensor(X[p[1300:]]), torch.tensor(y[p[1300:]])

def make_model():
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))

logf = open(os.path.join(run_dir, "metrics.jsonl"), "w")
def train(model, opt, e0, e1):
    for ep in range(e0, e1):
        perm = torch.randperm(len(Xtr)); tot = 0.0
        for i in range(0, len(Xtr), 32):
            b = perm[i:i+32]
            loss = F.cross_entropy(model(Xtr[b]), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(b)
        with torch.no_grad():
            o = model(Xva); vl = F.cross_entropy(o, yva).item(); acc = (o.argmax(1) == yva).float().mean().item()
        rec = {"epoch": ep, "lr": opt.param_groups[0]["lr"], "train_loss": tot / len(Xtr), "val_loss": vl, "val_acc": acc}
        logf.write(json.dumps(rec) + "\n"); logf.flush()
        print("ep %2d lr %.0e train %.4f val %.4f acc %.3f" % (ep, rec["lr"], rec["train_loss"], vl, acc))
    return rec

# ---- phase 1
model = make_model()
opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
train(model, opt, 0, 2)
torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": 2}, os.path.join(ckpt_dir, "last.pt"))
del model, opt

# ---- phase 2 (resume)
ck = torch.load(os.path.join(ckpt_dir, "last.pt"))
model = make_model(); model.load_state_dict(ck["model"])
opt = torch.optim.SGD(model.parameters(), lr=RESUME_LR, momentum=0.9)   # TODO load ck["opt"]
rec = train(model, opt, ck["epoch"], 20)
logf.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": rec["val_loss"], "val_acc": rec["val_acc"], "train_loss": rec["train_loss"], "chance_acc": 0.1}))
