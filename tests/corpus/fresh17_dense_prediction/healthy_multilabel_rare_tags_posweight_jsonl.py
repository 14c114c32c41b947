"""Multi-label tagging of synthetic 'scene descriptors' (40 features) with 10
tags whose prevalence ranges from 3% to 45%. MLP + BCEWithLogitsLoss with
pos_weight = neg/pos (capped at 10) so rare tags are not ignored; thresholds
stay at 0.5. Reports per-label F1, micro/macro F1 and mAP; logs JSON lines."""
# expect:
# allow:
# forbid: *
# evidence: tag prevalence 3.4%..46.5%; with pos_weight (capped 10) + cosine AdamW, val_loss falls monotonically-ish 0.818 -> 0.210 (still lowest at the last epoch), val f1_macro 0.857, f1_micro 0.895, mAP 0.938, rarest tag (3.4%) F1 0.67; train_loss 0.116 is below val because of label noise and pos_weight, not memorisation (val never rises)
# native-log: run/metrics.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.metrics import f1_score, average_precision_score

torch.manual_seed(7); np.random.seed(7); random.seed(7)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(os.path.join(LOG_DIR, "run"), exist_ok=True)
rng = np.random.default_rng(7)
N, D, L = 3000, 40, 10
X = rng.normal(size=(N, D)).astype(np.float32)
W = rng.normal(size=(D, L)) / np.sqrt(D) * 3
prev = np.linspace(0.03, 0.45, L)
logits = X @ W + 0.3 * np.sin(X[:, :L] * 2)
thr = np.array([np.quantile(logits[:, j], 1 - prev[j]) for j in range(L)])
Y = (logits + rng.normal(0, 0.3, logits.shape) > thr).astype(np.float32)
ntr, nva = 2000, 1000
Xtr, Ytr, Xva, Yva = map(torch.tensor, (X[:ntr], Y[:ntr], X[ntr:], Y[ntr:]))
pos = Ytr.mean(0)
pos_weight = ((1 - pos) / pos).clamp(max=10)
print("train prevalence per tag: " + " ".join(f"{p:.3f}" for p in pos.tolist()))
model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, L))
crit = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=25)
logf = open(os.path.join(LOG_DIR, "run", "metrics.jsonl"), "w")
for ep in range(25):
    model.train(); perm = torch.randperm(ntr); tl = []
    for i in range(0, ntr, 64):
        idx = perm[i:i + 64]; loss = crit(model(Xtr[idx]), Ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    lr = sched.get_last_lr()[0]; sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = crit(out, Yva).item(); prob = torch.sigmoid(out).numpy()
    pred = prob > 0.5
    f1_per = f1_score(Yva.numpy(), pred, average=None, zero_division=0)
    f1_macro = float(f1_per.mean()); f1_micro = f1_score(Yva.numpy(), pred, average="micro")
    mAP = average_precision_score(Yva.numpy(), prob, average="macro")
    rec = {"epoch": ep, "train_loss": round(float(np.mean(tl)), 5), "val_loss": round(vl, 5), "f1_macro": round(f1_macro, 4),
           "f1_micro": round(float(f1_micro), 4), "mAP": round(float(mAP), 4), "lr": lr}
    logf.write(json.dumps(rec) + "\n")
    if ep % 4 == 0 or ep == 24:
        print(json.dumps(rec))
logf.close()
print("per-label F1 (rarest first): " + " ".join(f"{v:.2f}" for v in f1_per))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "f1_macro": round(f1_macro, 4), "f1_micro": round(float(f1_micro), 4),
      "mAP": round(float(mAP), 4), "f1_rarest": round(float(f1_per[0]), 4), "train_loss": round(float(np.mean(tl)), 4)}))
