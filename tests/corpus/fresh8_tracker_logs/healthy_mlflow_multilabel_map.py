# expect:
# allow:
# forbid: *
# evidence: 8-tag multi-label task: val mAP 0.994 (prevalence baseline 0.41), micro-F1 0.956, val_loss 0.092 vs train 0.063 after 25 cosine epochs
# native-log: mlruns/3/a9e77f0c41d24d53b1c2d3e4f5a6b7c8
# log-expect:
# log-allow:
"""Multi-label tagging (8 tags, each driven by a few input features) with BCE, AdamW, cosine lr.
Reports micro-F1 and mAP (mean over tags of average precision), written in the MLflow file-store
layout: mlruns/<experiment_id>/<run_id>/metrics/<key> with "timestamp value step" lines."""
import json, os, tempfile, time
import torch
import torch.nn as nn

torch.manual_seed(808)
torch.set_num_threads(1)
EXP, RUN = "3", "a9e77f0c41d24d53b1c2d3e4f5a6b7c8"
base = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "mlruns", EXP, RUN)
os.makedirs(os.path.join(base, "metrics"), exist_ok=True)
os.makedirs(os.path.join(base, "params"), exist_ok=True)


def mlflow_log(metrics, step):
    ts = int(time.time() * 1000)
    for k, v in metrics.items():
        with open(os.path.join(base, "metrics", k), "a") as fh:
            fh.write(f"{ts} {float(v)} {step}\n")


def average_precision(scores, labels):
    order = scores.argsort(descending=True)
    l = labels[order]
    hits = l.cumsum(0)
    prec = hits / torch.arange(1, len(l) + 1)
    return (prec * l).sum() / l.sum().clamp(min=1)


W = torch.randn(30, 8) * (torch.rand(30, 8) < 0.2)
def make(n):
    x = torch.randn(n, 30)
    z = x @ W + 0.4 * torch.tanh(x[:, :8] * x[:, 8:16])
    return x, (z > 0.5).float()


xtr, ytr = make(3000); xva, yva = make(1000)
model = nn.Sequential(nn.Linear(30, 128), nn.ReLU(), nn.Linear(128, 8))
EPOCHS = 25
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS)
bce = nn.BCEWithLogitsLoss()
for k, v in {"lr": 2e-3, "epochs": EPOCHS, "loss": "bce", "tags": 8}.items():
    open(os.path.join(base, "params", k), "w").write(str(v))

for ep in range(EPOCHS):
    model.train()
    for b in torch.randperm(len(xtr)).split(64):
        loss = bce(model(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
    lr = sched.get_last_lr()[0]; sched.step()
    model.eval()
    with torch.no_grad():
        tl = bce(model(xtr), ytr).item()
        s = model(xva); vl = bce(s, yva).item()
        pred = (s > 0).float()
        tp = (pred * yva).sum(); f1 = (2 * tp / (pred.sum() + yva.sum())).item()
        mAP = torch.stack([average_precision(s[:, j], yva[:, j]) for j in range(8)]).mean().item()
    mlflow_log({"train_loss": tl, "val_loss": vl, "val_micro_f1": f1, "val_mAP": mAP, "lr": lr}, ep)
    if ep % 5 == 4:
        print(f"ep {ep + 1} train_loss {tl:.4f} val_loss {vl:.4f} microF1 {f1:.3f} mAP {mAP:.3f}")
prior = yva.mean(0)
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "train_loss": tl, "val_mAP": mAP, "val_micro_f1": f1,
                                     "chance_mAP": prior.mean().item()}))
