# expect:
# allow:
# forbid: *
# evidence: healthy continual learning with replay: final test accuracy per task 0.946 / 0.864 / 0.972, mean 0.927 (chance 0.25)
# native-log: continual.csv
# log-expect:
# log-allow:
"""Continual learning over three tasks that arrive one after another (a 4-way classifier whose
input distribution moves to a new region and a new rotation per task), with an experience-replay
buffer (reservoir sampling, 300 examples) mixed into every mini-batch. The training loss jumps
up at every task boundary and comes back down; accuracy on the old tasks is kept. Held-out
metric: mean test accuracy over all three tasks at the end (chance 0.25). Healthy look-alike."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

D, K = 10, 4
rng = np.random.default_rng(SEED)
centres = rng.normal(0, 1, size=(K, D)) * 1.6


def task_data(task, n, r):
    y = r.integers(0, K, n)
    Q, _ = np.linalg.qr(np.random.default_rng(100 + task).normal(size=(D, D)))
    x = (centres[y] + r.normal(0, 1, size=(n, D))) @ Q + 2.0 * task
    return x.astype(np.float32), y


tasks = [(task_data(t, 2000, rng), task_data(t, 1000, np.random.default_rng(50 + t))) for t in range(3)]
model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, K))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
BUF = 300; buf_x, buf_y, seen = [], [], 0
f = open(os.path.join(LOG_DIR, "continual.csv"), "w")
f.write("iteration,task,loss," + ",".join(f"acc_task{t}" for t in range(3)) + "\n")


def acc(t):
    (_, _), (xt, yt) = tasks[t]
    with torch.no_grad():
        return float((model(torch.as_tensor(xt)).argmax(1).numpy() == yt).mean())


it = 0
for t in range(3):
    (xtr, ytr), _ = tasks[t]
    for ep in range(4):
        perm = rng.permutation(len(xtr))
        for i in range(0, len(xtr), 32):
            b = perm[i:i + 32]
            xb, yb = torch.as_tensor(xtr[b]), torch.as_tensor(ytr[b])
            if buf_x:
                j = rng.integers(0, len(buf_x), 32)
                xb = torch.cat([xb, torch.as_tensor(np.stack([buf_x[k] for k in j]))])
                yb = torch.cat([yb, torch.as_tensor(np.array([buf_y[k] for k in j]))])
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step()
            for k in b:  # reservoir sampling over the whole stream
                seen += 1
                if len(buf_x) < BUF:
                    buf_x.append(xtr[k]); buf_y.append(ytr[k])
                elif rng.random() < BUF / seen:
                    s = rng.integers(0, BUF); buf_x[s] = xtr[k]; buf_y[s] = ytr[k]
            if it % 20 == 0:
                accs = [acc(u) for u in range(3)]
                f.write(f"{it},{t},{loss.item():.5f}," + ",".join(f"{a:.4f}" for a in accs) + "\n")
            it += 1
        print(f"task {t} epoch {ep} loss {loss.item():.4f} acc per task " + " ".join(f"{acc(u):.3f}" for u in range(3)))
f.close()
accs = [acc(u) for u in range(3)]
print("CORPUS_METRIC " + json.dumps({"val_acc": round(float(np.mean(accs)), 4), "val_acc_per_task": [round(a, 4) for a in accs],
                                     "chance_acc": 0.25}))
