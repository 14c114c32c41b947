# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: planted (labels drawn independently of inputs): train loss stays 1.611 vs ln5 = 1.609 for 15 epochs, val_acc 0.16 (chance 0.2); control (one index draw): val_acc 0.945, val_loss 0.17
# control: --control
# native-log: training_log.csv
# log-expect: non_convergence
# log-allow: high_bias
"""Hand-rolled batch sampler bug: x and y batches are drawn with two separate random index draws, so inputs and
labels are never paired (equivalent to training on shuffled labels). Control: one index draw for both.
Log: CSV Epoch,Loss,Val_Loss,Val_Accuracy."""
import csv, json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
CONTROL = "--control" in sys.argv

g = torch.Generator().manual_seed(8)
centers = 0.8 * torch.randn(5, 16, generator=g)
def make(n):
    y = torch.randint(0, 5, (n,), generator=g)
    return centers[y] + torch.randn(n, 16, generator=g), y
xtr, ytr = make(3000)
xva, yva = make(800)

def get_batch(bs=64):
    ix = torch.randint(0, len(xtr), (bs,))
    if CONTROL:
        return xtr[ix], ytr[ix]
    return xtr[ix], ytr[torch.randint(0, len(ytr), (bs,))]   # BUG: second, independent draw for the labels

model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 5))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
f = open(os.path.join(LOG_DIR, "training_log.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["Epoch", "Loss", "Val_Loss", "Val_Accuracy"])
for epoch in range(15):
    model.train()
    tl = 0.0
    for it in range(50):
        xb, yb = get_batch()
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() / 50
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch + 1, round(tl, 5), round(vl, 5), round(va, 4)])
    f.flush()
    print(f"Epoch {epoch + 1}: loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.2, "uniform_loss": 1.6094}))
