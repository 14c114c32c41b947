"""Multi-label attribute prediction on sklearn digits (6 attribute tags per
digit) with an over-wide MLP regularised by heavy dropout (0.2 on the inputs, 0.5 on both
hidden layers). Train BCE (measured with dropout active) stays ABOVE val BCE for
the whole run: expected with heavy dropout, not a bug. JSON-lines log."""
# expect:
# allow:
# forbid: *
# evidence: held-out f1_macro 0.882 -> 0.978, f1_micro 0.977, mAP 0.997; train BCE with dropout on (0.489 -> 0.074) stays above val BCE (0.278 -> 0.050) every epoch; val_loss is within 0.001 of its best (0.0489) at the end
# native-log: attr_log.jsonl
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.metrics import f1_score, average_precision_score

torch.manual_seed(20); np.random.seed(20); random.seed(20)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
tags = np.stack([y % 2 == 0, y >= 5, np.isin(y, [2, 3, 5, 7]), np.isin(y, [0, 6, 8, 9]), np.isin(y, [1, 4, 7]), y == 0], 1).astype(np.float32)
Xtr, Xva, Ttr, Tva = train_test_split(X.astype(np.float32), tags, test_size=0.3, random_state=2)
Xtr, Xva, Ttr, Tva = map(torch.tensor, (Xtr, Xva, Ttr, Tva))
model = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 6))
crit = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
logf = open(os.path.join(LOG_DIR, "attr_log.jsonl"), "w")
for ep in range(18):
    model.train(); perm = torch.randperm(len(Xtr)); tl = []
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = crit(model(Xtr[idx]), Ttr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = crit(out, Tva).item(); prob = torch.sigmoid(out).numpy()
    f1m = f1_score(Tva.numpy(), prob > 0.5, average="macro"); f1u = f1_score(Tva.numpy(), prob > 0.5, average="micro")
    mAP = average_precision_score(Tva.numpy(), prob, average="macro")
    rec = {"epoch": ep, "loss": round(float(np.mean(tl)), 5), "val_loss": round(vl, 5), "val_f1_macro": round(float(f1m), 4),
           "val_f1_micro": round(float(f1u), 4), "val_mAP": round(float(mAP), 4)}
    logf.write(json.dumps(rec) + "\n")
    if ep % 4 == 0 or ep == 17: print(json.dumps(rec))
logf.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "f1_macro": round(float(f1m), 4), "f1_micro": round(float(f1u), 4),
      "mAP": round(float(mAP), 4), "train_loss": round(float(np.mean(tl)), 4)}))
