"""Wide MLP trained on only 60 digits images for 900 Adam steps (no regularisation). The
home-grown logger writes one row per 'eval interval' with columns in an odd order, extra
columns (ISO timestamp, gpu_mem_mb, throughput samples/s) and NO step or epoch column: the only
x axis is wall-clock seconds. Val loss bottoms out early and then climbs while train loss -> 0."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (60 train imgs): train_loss 8e-5, val_loss bottoms at 0.517 early (step ~80 of 900) then climbs to 0.644, val_acc 0.851; control (1300 train imgs, same model/steps): val_loss 0.074 (best 0.065), val_acc 0.976
# control: --control
# native-log: eval_log.csv
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile, time, datetime
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
NTR = 1300 if "--control" in sys.argv else 60
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=450, random_state=0, stratify=y)
Xtr, ytr = Xtr[:NTR], ytr[:NTR]
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
f = open(os.path.join(logdir, "eval_log.csv"), "w")
f.write("timestamp,gpu_mem_mb,val_acc,throughput,train_loss,wall_s,val_loss\n")
t0 = time.time(); base = datetime.datetime(2026, 2, 9, 22, 10, 0); run = []
best = 9.9
for step in range(1, 901):
    idx = torch.randint(0, len(Xtr), (32,))
    loss = nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
    opt.zero_grad(); loss.backward(); opt.step(); run.append(loss.item())
    if step % 20 == 0:
        with torch.no_grad():
            o = model(Xva); vl = nn.functional.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        best = min(best, vl)
        w = time.time() - t0
        f.write(f"{(base + datetime.timedelta(seconds=w)).isoformat(timespec='milliseconds')},{2143 + step % 7},{va:.4f},{32 * 20 / max(w / (step / 20), 1e-3):.0f},{np.mean(run):.5f},{w:.3f},{vl:.5f}\n")
        run = []
f.close()
with torch.no_grad():
    tl = nn.functional.cross_entropy(model(Xtr), ytr).item()
print(f"ntrain {NTR} train_loss {tl:.5f} val_loss {vl:.4f} (best {best:.4f}) val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "best_val_loss": round(best, 4), "val_acc": round(va, 4), "train_loss": round(tl, 5), "chance_acc": 0.1}))
