# expect:
# allow:
# forbid: *
# evidence: healthy; bf16 autocast + 8x16 grad accumulation (128 optimizer steps): val_loss 0.719 -> 0.228, val_acc 0.919 (majority 0.135), train_loss 0.219 ~ val
"""bf16 autocast on CPU plus gradient accumulation over 8 micro-batches of 16 (effective batch 128).
The loss is divided by 8 per micro-batch; the optimizer steps once per 8 backward calls."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
g = torch.Generator().manual_seed(0)
K, D, ACC, MB = 8, 24, 8, 16
C = 0.7 * torch.randn(K, D, generator=g)
def sample(n):
    y = torch.randint(0, K, (n,), generator=g)
    return C[y] + torch.randn(n, D, generator=g), y
Xtr, ytr = sample(4096); Xva, yva = sample(1024)
model = nn.Sequential(nn.Linear(D, 64), nn.GELU(), nn.LayerNorm(64), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, K))
opt = torch.optim.AdamW(model.parameters(), lr=1.5e-3, weight_decay=1e-2)
lossf = nn.CrossEntropyLoss()
opt_steps = 0
for epoch in range(4):
    model.train(); perm = torch.randperm(len(Xtr)); run = 0.0; n = 0
    for k, i in enumerate(range(0, len(Xtr), MB)):
        idx = perm[i:i + MB]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = model(Xtr[idx])
            loss = lossf(out.float(), ytr[idx]) / ACC
        loss.backward(); run += loss.item() * ACC; n += 1
        if (k + 1) % ACC == 0:
            opt.step(); opt.zero_grad(); opt_steps += 1
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        o = model(Xva).float(); vl = lossf(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch} opt_steps {opt_steps} train_loss {run / n:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(run / n, 4),
                                    "chance_acc": round(float(torch.bincount(yva).max()) / len(yva), 4)}))
