# expect:
# allow:
# forbid: *
# evidence: NT-Xent falls 5.80 -> 2.67 (random-embedding reference log(511)=6.24), held-out NT-Xent 2.73 tracks train; frozen-embedding 5-NN val acc 0.83 (chance 0.083)
# native-log: simclr_log.jsonl
# log-expect:
# log-allow:
"""Healthy: SimCLR-style NT-Xent (InfoNCE) pre-training of an MLP encoder on unlabeled tabular data.

Data: 12 hidden groups, 40-d features = nonlinear mix of a group prototype and nuisance factors.
Two views per sample by random feature masking + jitter.  NT-Xent with temperature 0.2, batch 256,
AdamW lr=2e-3 with a linear warm-up then cosine decay.  Reference for the loss: log(2B-1)=6.24
is the loss of a random embedding.  Held-out metric: 5-NN accuracy of a frozen embedding
(labels never used in training), chance 1/12.  Writes one JSON line per epoch with its own keys.
"""
import json, math, os, tempfile
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
K, D, B, EPOCHS = 12, 40, 256, 25
protos = torch.randn(K, 8)
mix = torch.randn(8 + 6, D) / 3.0

def make(n):
    y = torch.randint(0, K, (n,))
    z = torch.cat([protos[y] + 0.45 * torch.randn(n, 8), torch.randn(n, 6)], 1)
    x = torch.tanh(z @ mix) + 0.05 * torch.randn(n, D)
    return (x - 0.0) / 0.5, y

xtr, ytr = make(4096); xva, yva = make(1024)
mu, sd = xtr.mean(0), xtr.std(0); xtr = (xtr - mu) / sd; xva = (xva - mu) / sd

def view(x):
    keep = (torch.rand_like(x) > 0.25).float()
    return x * keep + 0.15 * torch.randn_like(x)

enc = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 32))
head = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 32))
params = list(enc.parameters()) + list(head.parameters())
opt = torch.optim.AdamW(params, lr=2e-3, weight_decay=1e-4)
steps_per = len(xtr) // B; total = EPOCHS * steps_per; warm = 2 * steps_per
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))

def ntxent(a, b, t=0.2):
    z = F.normalize(torch.cat([a, b]), dim=1); n = a.shape[0]
    sim = z @ z.t() / t
    sim.fill_diagonal_(float("-inf"))
    tgt = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, tgt)

def knn_acc(k=5):
    enc.eval()
    with torch.no_grad():
        etr = F.normalize(enc(xtr), dim=1); eva = F.normalize(enc(xva), dim=1)
        nn_idx = (eva @ etr.t()).topk(k, dim=1).indices
        pred = ytr[nn_idx].mode(dim=1).values
        vl = float(ntxent(head(enc(view(xva[:B]))), head(enc(view(xva[:B])))))
    enc.train(); return float((pred == yva).float().mean()), vl

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
log = open(os.path.join(logdir, "simclr_log.jsonl"), "w")
g = torch.Generator().manual_seed(3)
for ep in range(EPOCHS):
    perm = torch.randperm(len(xtr), generator=g); tot = 0.0
    for i in range(steps_per):
        x = xtr[perm[i * B:(i + 1) * B]]
        loss = ntxent(head(enc(view(x))), head(enc(view(x))))
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tot += loss.item()
    acc, vl = knn_acc()
    rec = {"epoch": ep, "nt_xent": round(tot / steps_per, 4), "heldout_nt_xent": round(vl, 4), "knn5_top1": round(acc, 4), "lr_now": opt.param_groups[0]["lr"]}
    log.write(json.dumps(rec) + "\n"); log.flush(); print(rec)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / steps_per, 4), "chance_acc": round(1 / K, 4), "random_embedding_loss": round(math.log(2 * B - 1), 4)}))
