# expect:
# allow:
# forbid: *
# evidence: valid top1 0.991 (chance 0.10), top3 0.999, valid loss (plain CE) 0.25; train loss 0.74 is the smoothed CE on 10%-noisy labels (its floor), steady over 30 cosine epochs
# native-log: neptune_export.csv
# log-expect:
# log-allow:
# 10-class MLP with label smoothing 0.1, SGD+nesterov and cosine annealing, 10% label noise in
# train. Metrics exported the way Neptune/Comet "download as CSV" gives them: long format, one row
# per (step, metric, value) with a timestamp column.
import csv, json, math, os, tempfile, time
import torch
import torch.nn as nn

torch.manual_seed(123)
torch.set_num_threads(1)

K, D = 10, 24
means = torch.randn(K, D) * 1.2
def gen(n, noise_frac=0.0):
    y = torch.randint(0, K, (n,))
    x = means[y] + torch.randn(n, D)
    x = x + 0.3 * torch.sin(3 * x)
    flip = torch.rand(n) < noise_frac
    y_obs = torch.where(flip, torch.randint(0, K, (n,)), y)
    return x, y_obs
xtr, ytr = gen(4000, noise_frac=0.1)
xva, yva = gen(1000)

net = nn.Sequential(nn.Linear(D, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.1), nn.Linear(256, K))
EPOCHS = 30
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
plain = nn.CrossEntropyLoss()

rows = []
def track(step, name, value):
    rows.append((step, name, value, int(time.time() * 1000)))

gs = 0
for epoch in range(EPOCHS):
    net.train()
    for b in torch.randperm(len(xtr)).split(100):
        loss = crit(net(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); gs += 1
        if gs % 10 == 0:
            track(gs, "train/batch_loss", loss.item())
    track(gs, "train/lr", opt.param_groups[0]["lr"])
    sched.step()
    net.eval()
    with torch.no_grad():
        otr, ova = net(xtr), net(xva)
        tl = crit(otr, ytr).item()
        vl = plain(ova, yva).item()
        top1 = (ova.argmax(1) == yva).float().mean().item()
        top3 = (ova.topk(3, 1).indices == yva[:, None]).any(1).float().mean().item()
    track(gs, "train/epoch_loss", tl)
    track(gs, "valid/loss", vl)
    track(gs, "valid/top1", top1)
    track(gs, "valid/top3", top3)
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1}: train {tl:.3f} valid {vl:.3f} top1 {top1:.3f} top3 {top3:.3f}")

with open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "neptune_export.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["step", "metric", "value", "timestamp"])
    w.writerows(rows)
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": top1, "train_loss": tl, "chance_acc": 0.1}))
