"""Breast-cancer MLP trained with batch size 8 (noisy per-step loss). The JSON-lines log has a
config dict as its first line, periodic system-stats lines ({"sys": {...}}), checkpoint events
and a final summary line between the metric lines; per-step lines and per-epoch eval lines use
different keys ("loss" vs "eval/loss", "eval/acc")."""
# expect:
# allow:
# forbid: *
# evidence: healthy: val_acc 0.959 (majority 0.63), val_loss 0.092 (flat ~0.09 from epoch 3 on), train_loss 0.046; per-step train loss is noisy (batch 8) but the epoch mean falls steadily
# native-log: run.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile, time
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
cfg = {"model": "mlp-30-32-1", "optimizer": "SGD", "lr": 0.01, "momentum": 0.9, "batch_size": 8, "epochs": 8, "seed": 0}
model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9)
lossf = nn.BCEWithLogitsLoss()
f = open(os.path.join(logdir, "run.jsonl"), "w")
f.write(json.dumps({"config": cfg, "git_sha": "3f9c2e1", "host": "node-17"}) + "\n")
step = 0; t0 = time.time()
for ep in range(cfg["epochs"]):
    model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
    for i in range(0, len(Xtr), 8):
        idx = perm[i:i + 8]
        loss = lossf(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tot += loss.item() * len(idx); n += len(idx)
        if step % 10 == 0:
            f.write(json.dumps({"step": step, "loss": round(loss.item(), 5), "lr": cfg["lr"]}) + "\n")
        if step % 60 == 0:
            f.write(json.dumps({"sys": {"cpu_pct": 97.0 + (step % 3), "rss_mb": 412 + step // 50}, "time": round(time.time() - t0, 2)}) + "\n")
    model.eval()
    with torch.no_grad():
        out = model(Xva).squeeze(1); vl = lossf(out, yva).item(); va = ((out > 0).float() == yva).float().mean().item()
    f.write(json.dumps({"step": step, "epoch": ep, "eval/loss": round(vl, 5), "eval/acc": round(va, 4), "train/epoch_loss": round(tot / n, 5)}) + "\n")
    if ep % 5 == 4:
        f.write(json.dumps({"event": "checkpoint saved", "path": f"ckpt/epoch_{ep}.pt", "step": step}) + "\n")
tl = tot / n
f.write(json.dumps({"summary": {"best_eval_acc": va, "total_steps": step}}) + "\n"); f.close()
print(f"train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.63}))
