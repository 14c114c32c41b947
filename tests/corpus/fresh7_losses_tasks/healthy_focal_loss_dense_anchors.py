# expect:
# allow:
# forbid: *
# evidence: positive anchors 2.3%; val AP 0.972 (random-score AP 0.024), recall 0.81 / precision 0.97 at p>0.5; val focal loss 0.81 -> 0.051 tracking train 0.050
# native-log: focal_train_log.csv
# log-expect:
# log-allow:
"""Healthy: RetinaNet-style sigmoid focal loss on a dense anchor grid with ~2% positive anchors.

Each "image" is a 1-D strip of 64 anchors; a few anchors hold an object whose 16-d feature
pattern (plus context from its neighbours) identifies it among clutter.  A small 1-D conv
network scores every anchor.  Focal loss (alpha=0.25, gamma=2) normalised by the number of
positive anchors, output bias initialised to -log((1-pi)/pi) with pi=0.01, SGD momentum 0.9,
lr=0.01 with a 100-step linear warm-up, gradient clipping at 5, 15 epochs.  The class
distribution is heavily skewed but the loss is built for it.  Metrics: held-out average precision
(AP) of anchor scores, recall and precision at 0.5 (reference: AP of random scores = positive
rate ~0.02).  Writes its own CSV log.
"""
import csv, json, math, os, tempfile
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
A, D = 64, 16
obj = torch.randn(D) * 1.0; clutter = torch.randn(4, D)

def make(n, g):
    X = 0.8 * torch.randn(n, D, A, generator=g); Y = torch.zeros(n, A)
    for i in range(n):
        for _ in range(int(torch.randint(0, 4, (1,), generator=g))):
            a = int(torch.randint(1, A - 1, (1,), generator=g)); Y[i, a] = 1
            X[i, :, a] += obj; X[i, :, a - 1] += 0.5 * obj; X[i, :, a + 1] += 0.5 * obj
        for _ in range(int(torch.randint(0, 6, (1,), generator=g))):
            a = int(torch.randint(0, A, (1,), generator=g)); X[i, :, a] += clutter[int(torch.randint(0, 4, (1,), generator=g))] * 1.2
    return X, Y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(1500, g); xva, yva = make(400, g)
print("positive anchor rate", round(float(ytr.mean()), 4))
net = nn.Sequential(nn.Conv1d(D, 32, 3, padding=1), nn.ReLU(), nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(), nn.Conv1d(32, 1, 1))
with torch.no_grad(): net[-1].bias.fill_(-math.log(99.0))

def focal(logit, y, alpha=0.25, gamma=2.0):
    p = torch.sigmoid(logit); ce = F.binary_cross_entropy_with_logits(logit, y, reduction="none")
    pt = p * y + (1 - p) * (1 - y); at = alpha * y + (1 - alpha) * (1 - y)
    return (at * (1 - pt) ** gamma * ce).sum() / y.sum().clamp(min=1.0)

def ap(scores, y):
    o = scores.flatten().argsort(descending=True); yy = y.flatten()[o]
    tp = yy.cumsum(0); prec = tp / torch.arange(1, len(yy) + 1)
    return float((prec * yy).sum() / yy.sum())

opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
sch = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100))
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
fh = open(os.path.join(logdir, "focal_train_log.csv"), "w", newline=""); w = csv.writer(fh)
w.writerow(["epoch", "lr", "focal_loss", "val_focal_loss", "val_AP", "val_recall50"])
for ep in range(15):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 32):
        b = perm[i:i + 32]; loss = focal(net(xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(net.parameters(), 5.0); opt.step(); sch.step(); tot += loss.item(); nb += 1
    with torch.no_grad():
        lv = net(xva).squeeze(1); vl = float(focal(lv, yva)); vap = ap(lv, yva); pr = (lv > 0).float()
        rec = float((pr * yva).sum() / yva.sum()); prec = float((pr * yva).sum() / pr.sum().clamp(min=1))
    w.writerow([ep + 1, opt.param_groups[0]["lr"], round(tot / nb, 5), round(vl, 5), round(vap, 4), round(rec, 4)]); fh.flush()
    print(f"epoch {ep+1} focal {tot/nb:.4f} val_focal {vl:.4f} val_AP {vap:.3f} recall@0.5 {rec:.3f} precision@0.5 {prec:.3f}")
with torch.no_grad(): tl = float(focal(net(xtr).squeeze(1), ytr))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_ap": round(vap, 4), "val_recall": round(rec, 4), "val_precision": round(prec, 4), "train_loss": round(tl, 4), "random_ap": round(float(yva.mean()), 4)}))
