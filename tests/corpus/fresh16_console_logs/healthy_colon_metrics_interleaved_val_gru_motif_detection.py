"""GRU that detects whether a motif occurs in a noisy token sequence; console with interleaved validation.

Train lines every 10 steps ("step: 130 | loss: 0.412 | acc: 0.875 | lr: 2.0e-03") use a batch of
16, so they are noisy; a "VALIDATION step: 150 | val_loss: ... | val_acc: ..." line comes every
75 steps.  Cosine lr decay.  6% of labels are flipped (annotation noise), so ~0.94 is
the ceiling.  Healthy: val accuracy ends at that ceiling.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.938 vs 0.942 for a perfect detector on these 6%-noisy labels (chance 0.5); val_acc 0.94 already at step 75 then flat at the ceiling (val_loss 0.26 -> 0.244); batch-16 train losses jump between ~0.07 and ~0.25
# native-log: train_output.txt
# log-expect:
# log-allow:
import os, json, random, tempfile, math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="gru_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "train_output.txt"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


V, L = 12, 20
MOTIF = torch.tensor([3, 7, 1])


def make(n, g):
    x = torch.randint(0, V, (n, L), generator=g)
    y = torch.randint(0, 2, (n,), generator=g)
    pos = torch.randint(0, L - 2, (n,), generator=g)
    for k in range(3):  # plant the motif in positives
        x[torch.arange(n)[y == 1], pos[y == 1] + k] = MOTIF[k]
    noisy = torch.rand(n, generator=g) < 0.06  # 6% annotation noise (labels flipped)
    y = torch.where(noisy, 1 - y, y)
    return x, y, noisy


g = torch.Generator().manual_seed(0)
Xtr, ytr, _ = make(3000, g)
Xva, yva, va_noisy = make(500, g)
ceiling = 1.0 - va_noisy.float().mean().item()  # accuracy of a perfect motif detector on the noisy val labels


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 16); self.gru = nn.GRU(16, 48, batch_first=True); self.fc = nn.Linear(48, 2)

    def forward(self, x):
        h, _ = self.gru(self.emb(x))
        return self.fc(h.max(1).values)


model = Net()
TOTAL, BS = 400, 16
opt = torch.optim.Adam(model.parameters(), lr=4e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=TOTAL, eta_min=1e-4)
for step in range(1, TOTAL + 1):
    idx = torch.randint(0, len(Xtr), (BS,), generator=g)
    out = model(Xtr[idx]); loss = F.cross_entropy(out, ytr[idx])
    opt.zero_grad(); loss.backward(); opt.step()
    lr = opt.param_groups[0]["lr"]; sched.step()
    if step % 10 == 0:
        echo(f"step: {step} | loss: {loss.item():.3f} | acc: {(out.argmax(1) == ytr[idx]).float().mean().item():.3f} | lr: {lr:.1e}")
    if step % 75 == 0:
        with torch.no_grad():
            vo = model(Xva); vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
        echo(f"VALIDATION step: {step} | val_loss: {vl:.4f} | val_acc: {va:.4f}")
echo(f"done. val_acc {va:.4f} (a perfect detector scores {ceiling:.4f} on these noisy labels)")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "ceiling_acc": round(ceiling, 4), "chance_acc": 0.5}))
