# expect:
# allow:
# forbid: *
# evidence: scripted channels_last CNN under bf16 autocast on 8x8 digits: val_acc 0.982, val_loss 0.043, train_loss 0.010 (chance 0.10); metric: val_acc
# native-log: cnn_metrics.csv
# log-expect:
# log-allow:
"""Small CNN on 8x8 digits images: the module is compiled with torch.jit.script, the model and
inputs are converted to channels_last memory format, and the forward runs under
torch.autocast('cpu', dtype=torch.bfloat16). SGD+Nesterov with a StepLR schedule."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
def to_img(a): return torch.tensor(a, dtype=torch.float32).view(-1, 1, 8, 8).contiguous(memory_format=torch.channels_last)
Xtr, Xva = to_img(Xtr), to_img(Xva); ytr, yva = torch.tensor(ytr), torch.tensor(yva)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1); self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 4 * 4, 10)
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.c1(x))
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(torch.flatten(x, 1))
model = torch.jit.script(Net().to(memory_format=torch.channels_last))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.3)
f = open(os.path.join(LOG_DIR, "cnn_metrics.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss", "val_acc", "lr"])
for ep in range(10):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = model(Xtr[idx])
        loss = F.cross_entropy(out.float(), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    lr_now = opt.param_groups[0]["lr"]; sched.step()
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(Xva).float()
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    wr.writerow([ep, round(tot / len(Xtr), 5), round(vl, 5), round(va, 4), lr_now])
    print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1}))
