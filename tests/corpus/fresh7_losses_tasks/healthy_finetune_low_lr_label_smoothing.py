# expect:
# allow:
# forbid: *
# evidence: after in-script pre-training (source CE 0.027), fine-tuning reaches held-out target acc 0.923 (chance 0.167; head on a frozen random encoder 0.881); label-smoothed val CE 1.19 -> 0.633 vs train 0.552 (smoothing floor ~0.3), train acc 0.973
"""Healthy: fine-tuning a pre-trained encoder at a low lr with label-smoothed CE on a small set.

Stage 1 (in-script "pre-training"): an MLP encoder is trained on a large source task (24 classes,
8000 samples, 4 epochs, Adam 2e-3).  Stage 2: a new 6-class head on a related target task with
only 480 labelled samples; discriminative lrs (encoder 1e-4, head 2e-3, AdamW), label smoothing
0.1, 20 epochs, batch 32.  With smoothing the train CE cannot go below ~0.3.  Metric: held-out
target accuracy (chance 1/6); the reference is the same head on a frozen random encoder.
"""
import json
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
D, Z = 40, 10
M = torch.randn(Z, D) / 2

def latent_to_x(z, g): return torch.tanh(z @ M) * 2 + 0.3 * torch.randn(len(z), D, generator=g)

g = torch.Generator().manual_seed(1)
src_c = torch.randn(24, Z) * 1.3
ys = torch.randint(0, 24, (8000,), generator=g); xs = latent_to_x(src_c[ys] + 0.6 * torch.randn(8000, Z, generator=g), g)
tgt_c = torch.randn(6, Z) * 1.0

def tgt(n):
    y = torch.randint(0, 6, (n,), generator=g); return latent_to_x(tgt_c[y] + 0.7 * torch.randn(n, Z, generator=g), g), y

xt, yt = tgt(480); xv, yv = tgt(2000)
enc = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
src_head = nn.Linear(64, 24)
opt = torch.optim.Adam(list(enc.parameters()) + list(src_head.parameters()), lr=2e-3)
for ep in range(4):
    perm = torch.randperm(len(xs)); tot = 0.0
    for i in range(0, len(xs), 64):
        b = perm[i:i + 64]; loss = F.cross_entropy(src_head(enc(xs[b])), ys[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item()
    print(f"pretrain epoch {ep+1} source_ce {tot/(len(xs)//64+1):.4f}")

def linear_probe_random():
    r = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU()).requires_grad_(False); h = nn.Linear(64, 6)
    o = torch.optim.Adam(h.parameters(), lr=2e-3)
    for _ in range(200):
        l = F.cross_entropy(h(r(xt)), yt); o.zero_grad(); l.backward(); o.step()
    with torch.no_grad(): return float((h(r(xv)).argmax(1) == yv).float().mean())

head = nn.Linear(64, 6)
opt = torch.optim.AdamW([{"params": enc.parameters(), "lr": 1e-4}, {"params": head.parameters(), "lr": 2e-3}], weight_decay=0.01)
for ep in range(20):
    perm = torch.randperm(len(xt)); tot = 0.0; nb = 0
    for i in range(0, len(xt), 32):
        b = perm[i:i + 32]; loss = F.cross_entropy(head(enc(xt[b])), yt[b], label_smoothing=0.1)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    with torch.no_grad():
        lo = head(enc(xv)); vl = float(F.cross_entropy(lo, yv, label_smoothing=0.1)); acc = float((lo.argmax(1) == yv).float().mean())
    print(f"finetune epoch {ep+1} loss {tot/nb:.4f} val_loss {vl:.4f} val_acc {acc:.4f}")
with torch.no_grad(): tacc = float((head(enc(xt)).argmax(1) == yt).float().mean()); tl = float(F.cross_entropy(head(enc(xt)), yt, label_smoothing=0.1))
ref = linear_probe_random()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "chance_acc": round(1 / 6, 4), "random_encoder_probe_acc": round(ref, 4)}))
