# expect:
# allow:
# forbid: *
# evidence: 30 epochs, checkpoint (model+optimizer+scheduler), resume for 30 more with a correct state: val R2 0.63 (val_mse 2471 vs target var 6679); normalised train loss plateaus at 0.47 = noise level of this dataset (train and val close)
# native-log: diabetes/metrics.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_diabetes

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
logdir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "diabetes"); os.makedirs(logdir, exist_ok=True)
CKPT = os.path.join(tempfile.mkdtemp(), "ckpt.pt")

X, y = load_diabetes(return_X_y=True)
p = np.random.permutation(len(X)); X, y = X[p], y[p]
Xtr, Xva, ytr, yva = X[:350], X[350:], y[:350], y[350:]
xm, xs = Xtr.mean(0), Xtr.std(0); ym, ys = ytr.mean(), ytr.std()
f32 = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr, Xva = f32((Xtr - xm) / xs), f32((Xva - xm) / xs)
ytr_n, yva_n = f32((ytr - ym) / ys).unsqueeze(1), f32((yva - ym) / ys).unsqueeze(1)

def build():
    m = nn.Sequential(nn.Linear(10, 32), nn.SiLU(), nn.Linear(32, 1))
    o = torch.optim.AdamW(m.parameters(), lr=3e-3, weight_decay=0.05)
    s = torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=60)
    return m, o, s

def epochs(m, o, s, e0, e1, csvf):
    for ep in range(e0, e1):
        m.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
        for i in range(0, len(Xtr), 25):
            b = perm[i:i+25]
            loss = nn.functional.mse_loss(m(Xtr[b]), ytr_n[b]); o.zero_grad(); loss.backward(); o.step(); tot += loss.item() * len(b)
        lr = o.param_groups[0]["lr"]; s.step()
        m.eval()
        with torch.no_grad():
            pv = m(Xva).detach().cpu().numpy().ravel() * ys + ym
        vmse = float(((pv - yva) ** 2).mean())
        csvf.write(f"{ep},{lr:.6g},{tot/len(Xtr):.5f},{vmse/ys**2:.5f},{vmse:.2f}\n"); csvf.flush()
        if ep % 10 == 9:
            print(f"ep {ep+1} | lr {lr:.2e} | tr {tot/len(Xtr):.3f} | va(norm) {vmse/ys**2:.3f} | RMSE {vmse**0.5:.1f}")
    return tot / len(Xtr), vmse

csvf = open(os.path.join(logdir, "metrics.csv"), "w"); csvf.write("epoch,lr,train_loss,val_loss,val_mse_raw\n")
m, o, s = build()
epochs(m, o, s, 0, 30, csvf)
torch.save({"model": m.state_dict(), "opt": o.state_dict(), "sched": s.state_dict(), "epoch": 30}, CKPT)
print("checkpoint saved; 'session died' -> resuming")
del m, o, s
m, o, s = build()
st = torch.load(CKPT)
m.load_state_dict(st["model"]); o.load_state_dict(st["opt"]); s.load_state_dict(st["sched"])
tl, vmse = epochs(m, o, s, st["epoch"], 60, csvf)
csvf.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": vmse, "target_var": float(yva.var()), "val_r2": 1 - vmse / float(yva.var()), "train_loss_norm": tl}))
