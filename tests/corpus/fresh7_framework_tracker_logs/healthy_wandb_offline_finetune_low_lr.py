# expect:
# allow:
# forbid: *
# evidence: after in-script pre-training, low-lr fine-tune on 400 target examples: val/acc 0.90 after epoch 1 -> 0.993 (chance 0.25), val/loss 0.53 -> 0.027, train loss 0.017; no gap
# native-log: wandb/offline-run-20261201_000512-q7k2m9xa
# log-expect:
# log-allow:
"""Healthy: fine-tuning. An encoder is first pre-trained (in-script, 3 epochs, no logging) on a
large 8-class source task; then it is fine-tuned with a fresh head on a small (400-example)
related 4-class target task with AdamW at a low lr (3e-4 encoder, 3e-3 head) for 15 epochs.
The fine-tuning run is logged in the W&B offline layout written by hand
(wandb/offline-run-<date>_<time>-<id>/files/wandb-history.jsonl rows with _step, _runtime,
_timestamp, plus wandb-summary.json, config.yaml, wandb-metadata.json). The loss starts low
(the pre-trained features already separate the classes) and improves slowly: that is what a
good low-lr fine-tune looks like. Nothing planted."""
import os, sys, json, time, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(13)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
RUN = os.path.join(LOGDIR, "wandb", "offline-run-20261201_000512-q7k2m9xa")
os.makedirs(os.path.join(RUN, "files"), exist_ok=True)
T0 = time.time()
hist = open(os.path.join(RUN, "files", "wandb-history.jsonl"), "w")
summary = {}
def wandb_log(d, step):
    row = dict(d); row.update({"_step": step, "_runtime": round(time.time() - T0, 3), "_timestamp": round(time.time(), 3)})
    hist.write(json.dumps(row) + "\n"); hist.flush(); summary.update(row)
config = {"lr_encoder": {"desc": None, "value": 3e-4}, "lr_head": {"desc": None, "value": 3e-3}, "epochs": {"desc": None, "value": 15},
          "batch_size": {"desc": None, "value": 32}, "pretrained": {"desc": None, "value": True}}
with open(os.path.join(RUN, "files", "config.yaml"), "w") as f:
    f.write("wandb_version: 1\n\n")
    for k, v in config.items(): f.write(f"{k}:\n  desc: null\n  value: {v['value']}\n")
with open(os.path.join(RUN, "files", "wandb-metadata.json"), "w") as f:
    json.dump({"os": "Linux", "python": sys.version.split()[0], "startedAt": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "program": "finetune.py", "host": "corpus"}, f)

rng = np.random.default_rng(13)
D, Z = 32, 10
mix = rng.normal(0, 1, (Z, D)) / np.sqrt(Z)
src_means = rng.normal(0, 1.2, (8, Z))
def latent_to_x(z): return np.tanh(z @ mix) * 1.5 + rng.normal(0, 0.1, (len(z), D))
def make_src(n):
    y = rng.integers(0, 8, n); z = src_means[y] + rng.normal(0, 0.7, (n, Z))
    return torch.tensor(latent_to_x(z), dtype=torch.float32), torch.tensor(y)
tgt_means = src_means[:4] * 0.6 + src_means[4:] * 0.6  # target classes live in the same latent space
def make_tgt(n):
    y = rng.integers(0, 4, n); z = tgt_means[y] + rng.normal(0, 0.7, (n, Z))
    return torch.tensor(latent_to_x(z), dtype=torch.float32), torch.tensor(y)

enc = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
Xs, ys = make_src(6000)
src_head = nn.Linear(64, 8); o = torch.optim.Adam(list(enc.parameters()) + list(src_head.parameters()), 2e-3)
for ep in range(3):
    perm = torch.randperm(len(Xs))
    for i in range(0, len(Xs), 128):
        idx = perm[i:i + 128]; l = F.cross_entropy(src_head(enc(Xs[idx])), ys[idx]); o.zero_grad(); l.backward(); o.step()

Xt, yt = make_tgt(400); Xv, yv = make_tgt(1000)
head = nn.Linear(64, 4)
opt = torch.optim.AdamW([{"params": enc.parameters(), "lr": 3e-4}, {"params": head.parameters(), "lr": 3e-3}], weight_decay=0.01)
step = 0
for ep in range(15):
    perm = torch.randperm(len(Xt))
    for i in range(0, len(Xt), 32):
        idx = perm[i:i + 32]; l = F.cross_entropy(head(enc(Xt[idx])), yt[idx]); opt.zero_grad(); l.backward(); opt.step(); step += 1
        if step % 4 == 0: wandb_log({"train/loss": l.item()}, step)
    with torch.no_grad():
        ov = head(enc(Xv)); vl = F.cross_entropy(ov, yv).item(); vacc = (ov.argmax(1) == yv).float().mean().item()
        ot = head(enc(Xt)); tl = F.cross_entropy(ot, yt).item(); tacc = (ot.argmax(1) == yt).float().mean().item()
    wandb_log({"epoch": ep, "train/epoch_loss": tl, "train/acc": tacc, "val/loss": vl, "val/acc": vacc}, step)
hist.close()
summary["_wandb"] = {"runtime": int(time.time() - T0)}
json.dump(summary, open(os.path.join(RUN, "files", "wandb-summary.json"), "w"))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
