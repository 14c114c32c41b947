# expect:
# allow:
# forbid: *
# evidence: GRU counting ones in 16-bit strings (4 buckets), Adam 5e-3 + cosine: val_acc 1.00 (majority 0.38), val_loss 0.068, train_loss 0.066
# native-log: gru/history.jsonl
# log-expect:
# log-allow:
"""GRU counts how many 1s are in a random bit string (0..T as classes, here bucketed to 4 classes).
Training wrapped in try/except KeyboardInterrupt, logging module + a jsonl history."""
import os, sys, json, random, logging, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "gru"); os.makedirs(out, exist_ok=True)
logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s",
                    handlers=[logging.StreamHandler(sys.stdout), logging.FileHandler(os.path.join(out, "train.log"))])
logger = logging.getLogger("gru")

T = 16
def gen(n):
    x = (torch.rand(n, T, 1) < 0.5).float()
    c = x.sum((1, 2))
    y = torch.bucketize(c, torch.tensor([6.5, 8.5, 10.5]))   # <=6, 7-8, 9-10, >=11
    return x, y

class CountNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, batch_first=True); self.fc = nn.Linear(32, 4)
    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(h[-1])

xtr, ytr = gen(3000); xva, yva = gen(600)
logger.info("class distribution train: %s", torch.bincount(ytr).tolist())
net = CountNet(); opt = torch.optim.Adam(net.parameters(), lr=5e-3); ce = nn.CrossEntropyLoss()
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=12)
hist = open(os.path.join(out, "history.jsonl"), "w")
ep = 0
try:
    for ep in range(12):
        net.train(); perm = torch.randperm(len(xtr)); tl = 0.0
        for i in range(0, len(xtr), 64):
            b = perm[i:i+64]
            loss = ce(net(xtr[b]), ytr[b]); opt.zero_grad(); loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0); opt.step(); tl += loss.item() * len(b)
        sched.step()
        net.eval()
        with torch.no_grad():
            o = net(xva); vl = ce(o, yva).item(); acc = (o.argmax(1) == yva).float().mean().item()
        rec = {"epoch": ep, "train_loss": tl / len(xtr), "val_loss": vl, "val_acc": acc}
        hist.write(json.dumps(rec) + "\n"); hist.flush()
        logger.info("epoch %d | train %.4f | val %.4f | acc %.3f", ep, tl / len(xtr), vl, acc)
except KeyboardInterrupt:
    logger.warning("interrupted at epoch %d, saving what we have", ep)
finally:
    hist.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": tl / len(xtr),
                                     "chance_acc": float(torch.bincount(yva).max() / len(yva))}))
