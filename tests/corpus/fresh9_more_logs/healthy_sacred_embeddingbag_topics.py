# expect:
# allow:
# forbid: *
# evidence: EmbeddingBag topic classifier on synthetic token bags (4 topics), 12 epochs Adam: train_loss 0.004, val_loss 0.034, val_acc 0.99 (chance 0.25)
# native-log: sacred_runs/1/metrics.json
# log-expect:
# log-allow:
# Sacred FileStorageObserver layout, written by hand (sacred is not installed here):
# runs/<id>/metrics.json = {"train.loss": {"steps": [...], "values": [...], "timestamps": [...]}, ...}
import datetime as dt
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
g = torch.Generator().manual_seed(11)
torch.manual_seed(11)

VOCAB, TOPICS, LEN = 2000, 4, 40
topic_words = torch.randperm(VOCAB, generator=g)[: TOPICS * 50].view(TOPICS, 50)


def make(n):
    labels = torch.randint(0, TOPICS, (n,), generator=g)
    toks = torch.randint(0, VOCAB, (n, LEN), generator=g)
    mask = torch.rand(n, LEN, generator=g) < 0.2
    picks = topic_words[labels][torch.arange(n)[:, None], torch.randint(0, 50, (n, LEN), generator=g)]
    toks = torch.where(mask, picks, toks)
    return toks, labels


train_x, train_y = make(4000)
val_x, val_y = make(1000)


class BagClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(VOCAB, 32, mode="mean")
        self.fc = nn.Linear(32, TOPICS)

    def forward(self, tokens):
        return self.fc(self.emb(tokens))


_run_metrics = {}


def log_scalar(name, value, step):
    """what sacred's _run.log_scalar ends up writing"""
    m = _run_metrics.setdefault(name, {"steps": [], "timestamps": [], "values": []})
    m["steps"].append(step)
    m["timestamps"].append(dt.datetime.utcnow().isoformat())
    m["values"].append(value)


model = BagClassifier()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
step = 0
for epoch in range(12):
    model.train()
    perm = torch.randperm(len(train_x))
    for i in range(0, len(perm), 50):
        b = perm[i:i + 50]
        loss = F.cross_entropy(model(train_x[b]), train_y[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 10 == 0:
            log_scalar("train.loss", round(loss.item(), 5), step)
    model.eval()
    with torch.no_grad():
        out = model(val_x)
        vloss = F.cross_entropy(out, val_y).item()
        vacc = (out.argmax(-1) == val_y).float().mean().item()
    log_scalar("val.loss", round(vloss, 5), step)
    log_scalar("val.accuracy", round(vacc, 5), step)
    print(f"[epoch {epoch}] step {step} last train loss {loss.item():.4f} | val loss {vloss:.4f} acc {vacc:.4f}")

root = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
run_dir = os.path.join(root, "sacred_runs", "1")
os.makedirs(run_dir, exist_ok=True)
with open(os.path.join(run_dir, "metrics.json"), "w") as f:
    json.dump(_run_metrics, f, indent=2)
with open(os.path.join(run_dir, "config.json"), "w") as f:
    json.dump({"lr": 5e-3, "epochs": 12, "batch_size": 50, "emb_dim": 32, "seed": 11}, f, indent=2)

with torch.no_grad():
    tl = F.cross_entropy(model(train_x), train_y).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.25}))
