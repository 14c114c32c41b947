# expect:
# allow:
# forbid: *
# evidence: length 8 -> 16 at epoch 6 (val_loss 0.100 -> 0.129) and 16 -> 32 at epoch 12 (val_loss 0.077 -> 0.123 at ep 13), recovers each time; ends val_loss 0.073 val_acc 0.971 on length 32 (chance 0.5)
# native-log: gru_curriculum.csv
# log-expect:
# log-allow:
"""GRU classifier on synthetic sequences: the label is the sign of the sum of channel-0
values at the steps where channel 1 is positive (a gated running sum),
sampled with a clear margin so the label is unambiguous.
A length curriculum 8 -> 16 -> 32 (stage changes at epochs 6 and 12) makes the train loss
jump up at each change; with Adam and grad-norm clipping it recovers every time and
the model ends accurate on held-out length-32 sequences."""
import os, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.manual_seed(18); np.random.seed(18); random.seed(18)
torch.set_num_threads(1)

def make(bs, T, g):
    x = torch.randn(4 * bs, T, 2, generator=g)
    s = (x[:, :, 0] * (x[:, :, 1] > 0).float()).sum(1)      # gated running sum
    keep = (s.abs() > 0.5 * (T / 2) ** 0.5).nonzero().squeeze(1)[:bs]   # clear margin: label is unambiguous
    return x[keep], (s[keep] > 0).long()

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 32, batch_first=True); self.out = nn.Linear(32, 2)
    def forward(self, x):
        o, h = self.gru(x); return self.out(h[-1])

g = torch.Generator().manual_seed(18)
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()
STAGES = {0: 8, 6: 16, 12: 32}
vals = {T: make(512, T, torch.Generator().manual_seed(1000 + T)) for T in STAGES.values()}
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "gru_curriculum.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "epoch", "seq_len", "loss", "val_loss", "val_acc", "lr"])
step, T = 0, 8
for ep in range(20):
    T = STAGES.get(ep, T); tot = 0.0
    model.train()
    for _ in range(25):
        x, y = make(64, T, g)
        loss = loss_fn(model(x), y)
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
        step += 1; tot += loss.item()
        w.writerow([step, ep, T, f"{loss.item():.5g}", "", "", 3e-3])
    model.eval()
    with torch.no_grad():
        vx, vy = vals[T]; o = model(vx); vl = loss_fn(o, vy).item(); va = (o.argmax(1) == vy).float().mean().item()
    w.writerow([step, ep, T, f"{loss.item():.5g}", f"{vl:.5g}", f"{va:.4f}", 3e-3])
    print(f"epoch {ep:2d} T {T:2d} train_loss {tot / 25:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "seq_len": T, "chance_acc": 0.5}))
