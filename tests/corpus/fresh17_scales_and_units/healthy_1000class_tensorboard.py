# expect:
# allow: high_variance
# forbid: *
# evidence: healthy; 1000 classes, chance loss ln(1000)=6.91: val_loss 5.79 -> 2.42 (still falling at the end), val_acc 0.450 vs chance 0.001 and nearest-prototype Bayes acc ~0.65 (loss ~1.39). train_acc 0.79 vs val 0.45 is a real gap from only 16 samples/class (high_variance allowed for that reason), but val loss never rises
# native-log: tb_1000cls
# log-expect:
# log-allow: high_variance
"""1000 synthetic classes (Gaussian prototypes + heavy noise). Chance loss is ln(1000)=6.91; the model ends
around 2.5 and ~45% accuracy; the Bayes (nearest-prototype) loss is ~1.4, acc ~0.65. Logged to TensorBoard."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn
from torch.utils.tensorboard import SummaryWriter
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
K, D, NTR, NVA = 1000, 32, 16, 4
g = torch.Generator().manual_seed(0)
protos = torch.randn(K, D, generator=g)
def sample(n):
    y = torch.arange(K).repeat_interleave(n)
    return protos[y] + 1.4 * torch.randn(len(y), D, generator=g), y
Xtr, ytr = sample(NTR); Xva, yva = sample(NVA)
model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, K))
opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
lossf = nn.CrossEntropyLoss()
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_1000cls"))
step = 0
for epoch in range(6):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 256):
        idx = perm[i:i + 256]
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 10 == 0:
            tb.add_scalar("train/loss", loss.item(), step)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        otr = model(Xtr); trl = lossf(otr, ytr).item(); tra = (otr.argmax(1) == ytr).float().mean().item()
    tb.add_scalar("val/loss", vl, step); tb.add_scalar("val/acc", va, step)
    print(f"epoch {epoch:2d} train_loss {trl:.3f} val_loss {vl:.3f} val_acc {va:.3f} (chance loss {math.log(K):.2f})")
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "bayes_acc_approx": 0.65, "bayes_loss_approx": 1.39,
                                    "chance_loss": round(math.log(K), 3), "chance_acc": 1 / K}))
