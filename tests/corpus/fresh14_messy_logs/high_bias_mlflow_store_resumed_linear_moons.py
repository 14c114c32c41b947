"""Two-moons classification (noise 0.12) fitted by a model with no hidden layer (logistic
regression written as nn.Linear(2, 2)), Adam, plenty of epochs -- the model is too simple for
the curved boundary and underfits its own training data. Logged into an MLflow-style file store
(mlruns/<exp>/<run>/metrics/<key>, lines 'timestamp value step'); the run was restarted from a
checkpoint after epoch 12 and re-logged epochs 10-12, so those steps appear twice."""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (linear): train_acc 0.877, val_acc 0.878, train loss plateaus at 0.26 (MLP shows Bayes error ~0); control (MLP 2-64-64-2, same optimiser/epochs): train_acc 1.00, val_acc 0.998, val_loss 0.004
# control: --control
# native-log: mlruns
# log-expect: high_bias
# log-allow: non_convergence
import os, sys, json, random, tempfile, time
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import make_moons

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = make_moons(n_samples=2000, noise=0.12, random_state=0)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva = torch.tensor(X[:1500], dtype=torch.float32), torch.tensor(X[1500:], dtype=torch.float32)
ytr, yva = torch.tensor(y[:1500]), torch.tensor(y[1500:])
run = os.path.join(logdir, "mlruns", "0", "7c1e5a0b9d2f4e3a8b6c")
os.makedirs(os.path.join(run, "metrics"), exist_ok=True); os.makedirs(os.path.join(run, "params"), exist_ok=True)
with open(os.path.join(logdir, "mlruns", "0", "meta.yaml"), "w") as f:
    f.write("artifact_location: file:///mlruns/0\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n")
with open(os.path.join(run, "meta.yaml"), "w") as f:
    f.write("run_id: 7c1e5a0b9d2f4e3a8b6c\nrun_name: moons-" + ("mlp" if CONTROL else "linear") + "\nstatus: 3\nexperiment_id: '0'\nlifecycle_stage: active\n")
for k, v in {"model": "mlp" if CONTROL else "linear", "lr": "0.01", "epochs": "30"}.items():
    open(os.path.join(run, "params", k), "w").write(v)
def make():
    m = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2)) if CONTROL else nn.Sequential(nn.Linear(2, 2))
    return m, torch.optim.Adam(m.parameters(), lr=1e-2)
def logm(key, val, step, ts):
    with open(os.path.join(run, "metrics", key), "a") as f: f.write(f"{ts} {val} {step}\n")
ts = 1767000000000
def train(m, opt, e0, e1):
    global ts
    for ep in range(e0, e1):
        m.train(); perm = torch.randperm(1500); tot = n = 0
        for i in range(0, 1500, 64):
            idx = perm[i:i + 64]
            loss = nn.functional.cross_entropy(m(Xtr[idx]), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); n += len(idx)
        m.eval()
        with torch.no_grad():
            o = m(Xva); vl = nn.functional.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
            ta = (m(Xtr).argmax(1) == ytr).float().mean().item()
        ts += 1843
        logm("train_loss", tot / n, ep, ts); logm("train_acc", ta, ep, ts); logm("val_loss", vl, ep, ts); logm("val_acc", va, ep, ts)
        if ep == 9: ck = {k: v.clone() for k, v in m.state_dict().items()}; cko = opt.state_dict()
    return tot / n, vl, va, ta, (ck if e0 == 0 else None), (cko if e0 == 0 else None)
m, opt = make()
_, _, _, _, ck, cko = train(m, opt, 0, 13)      # node lost after epoch 12
ts += 600000
m, opt = make(); m.load_state_dict(ck); opt.load_state_dict(cko)
tl, vl, va, ta, _, _ = train(m, opt, 10, 30)    # resumed from the epoch-9 checkpoint
print(f"control={CONTROL} train_loss {tl:.4f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.5}))
