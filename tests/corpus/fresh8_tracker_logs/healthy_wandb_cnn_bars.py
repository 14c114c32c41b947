# expect:
# allow:
# forbid: *
# evidence: 4-class bar images (chance 0.25): val_acc 0.970, val_loss 0.069, train_loss 0.014 after 15 epochs
# native-log: wandb/offline-run-20261130_120000-k3x9q2ab/files/wandb-history.jsonl
# log-expect:
# log-allow:
# Small CNN on noisy synthetic 12x12 "bar" images (4 orientations). Logged like a W&B offline run:
# one JSON line per wandb.log() call with _step/_runtime/_timestamp, plus wandb-summary.json.
import json
import os
import tempfile
import time

import torch
from torch import nn

torch.manual_seed(1)
torch.set_num_threads(1)

cfg = {"epochs": 15, "batch_size": 32, "lr": 2e-3, "noise": 0.6}
run_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(),
                       "wandb", "offline-run-20261130_120000-k3x9q2ab", "files")
os.makedirs(run_dir, exist_ok=True)
history = open(os.path.join(run_dir, "wandb-history.jsonl"), "w")
t0 = time.time()
_step = 0
summary = {}


def wandb_log(d):
    global _step
    row = dict(d)
    row["_step"] = _step
    row["_runtime"] = round(time.time() - t0, 6)
    row["_timestamp"] = time.time()
    history.write(json.dumps(row) + "\n")
    history.flush()
    summary.update(row)
    _step += 1


def bars(n):
    y = torch.randint(0, 4, (n,))
    img = torch.zeros(n, 1, 12, 12)
    pos = torch.randint(2, 10, (n,))
    for i in range(n):
        p = pos[i].item()
        if y[i] == 0:
            img[i, 0, p, :] = 1
        elif y[i] == 1:
            img[i, 0, :, p] = 1
        elif y[i] == 2:
            img[i, 0].fill_diagonal_(1)
        else:
            img[i, 0] = torch.eye(12).flip(1)
    img += cfg["noise"] * torch.randn_like(img)
    return img, y


xtr, ytr = bars(1600)
xva, yva = bars(400)

net = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 9, 4))
opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"])
lossf = nn.CrossEntropyLoss()

for epoch in range(cfg["epochs"]):
    net.train()
    order = torch.randperm(len(xtr))
    for b in range(0, len(xtr), cfg["batch_size"]):
        i = order[b:b + cfg["batch_size"]]
        loss = lossf(net(xtr[i]), ytr[i])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if (b // cfg["batch_size"]) % 10 == 0:
            wandb_log({"train/loss": loss.item(), "epoch": epoch})
    net.eval()
    with torch.no_grad():
        tr_loss = lossf(net(xtr), ytr).item()
        logits = net(xva)
        v_loss = lossf(logits, yva).item()
        v_acc = (logits.argmax(-1) == yva).float().mean().item()
    wandb_log({"val/loss": v_loss, "val/acc": v_acc, "train/epoch_loss": tr_loss, "epoch": epoch})
    print(f"[{epoch + 1}/{cfg['epochs']}] train {tr_loss:.4f}  val {v_loss:.4f}  acc {v_acc:.3f}")

history.close()
with open(os.path.join(run_dir, "wandb-summary.json"), "w") as f:
    json.dump(summary, f)
with open(os.path.join(run_dir, "config.yaml"), "w") as f:
    f.write("wandb_version: 1\n\n" + "".join(f"{k}:\n  desc: null\n  value: {v}\n" for k, v in cfg.items()))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(v_loss, 4), "val_acc": round(v_acc, 4),
                                     "train_loss": round(tr_loss, 4), "chance_acc": 0.25}))
