# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted SGD(momentum .9) lr=2e-4 -> after 20 epochs train_loss 2.18, val_loss 2.18 still creeping down, val_acc 0.55; control lr=0.1 -> train_loss 0.004, val_loss 0.098, val_acc 0.98 (chance 0.10)
# control: --control
# native-log: runs/3/metrics.json
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import argparse, json, os, tempfile, time
import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
opts = ap.parse_args()
LR = 0.1 if opts.control else 2e-4

torch.set_num_threads(1); torch.manual_seed(5)
data = load_digits()
xa, xb, ya, yb = train_test_split(data.data / 16.0, data.target, test_size=0.25, random_state=5, stratify=data.target)
xa, xb = torch.tensor(xa, dtype=torch.float32), torch.tensor(xb, dtype=torch.float32)
ya, yb = torch.tensor(ya), torch.tensor(yb)

net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
sgd = torch.optim.SGD(net.parameters(), lr=LR, momentum=0.9)
ce = nn.CrossEntropyLoss()

metrics = {}
def log_scalar(key, val, step):
    rec = metrics.setdefault(key, {"steps": [], "timestamps": [], "values": []})
    rec["steps"].append(step); rec["values"].append(float(val))
    rec["timestamps"].append(time.strftime("%Y-%m-%dT%H:%M:%S.000000", time.gmtime()))

it = 0
for ep in range(20):
    net.train()
    for b in torch.randperm(len(xa)).split(32):
        l = ce(net(xa[b]), ya[b]); sgd.zero_grad(); l.backward(); sgd.step(); it += 1
        if it % 5 == 0:
            log_scalar("training.loss", l.item(), it)
    net.eval()
    with torch.no_grad():
        o = net(xb); vl = ce(o, yb).item(); va = (o.argmax(1) == yb).float().mean().item()
        tl = ce(net(xa), ya).item()
    log_scalar("validation.loss", vl, it); log_scalar("validation.acc", va, it)
    log_scalar("lr", LR, it)
    print(f"ep {ep:2d} it {it} train {tl:.4f} val {vl:.4f} acc {va:.3f}")

rd = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "runs", "3")
os.makedirs(rd, exist_ok=True)
json.dump(metrics, open(os.path.join(rd, "metrics.json"), "w"))
json.dump({"lr": LR, "momentum": 0.9, "batch_size": 32, "epochs": 20}, open(os.path.join(rd, "config.json"), "w"))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
