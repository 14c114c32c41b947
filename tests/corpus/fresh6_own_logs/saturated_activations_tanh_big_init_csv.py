# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, learning_rate_too_low, overfitting, high_variance
# forbid: *
# evidence: planted normal(std=1) init: 77%/87%/87% of tanh outputs have |h|>0.99 after training, val_acc 0.48, val_loss 6.3 (train acc 0.69); control Xavier(tanh gain) init: 1-4% saturated, val_acc 0.80, val_loss 0.52 (chance 0.1)
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low, overfitting, high_variance
"""Tanh MLP (64-256-256-256-10) initialised with nn.init.normal_(w, std=1.0) "because small weights learn slowly".
Pre-activations have std ~8-16, so almost every tanh unit sits at +-1 and passes almost no gradient.
Control: Xavier init (gain 5/3 for tanh). Log: Keras-CSVLogger-like epoch,loss,accuracy,val_loss,val_accuracy.
Probe: fraction of hidden tanh outputs with |h| > 0.99 on validation data."""
import csv, json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
CONTROL = "--control" in sys.argv

g = torch.Generator().manual_seed(91)
teacher = nn.Sequential(nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 10))
def make(n):
    x = torch.randn(n, 64, generator=g)
    with torch.no_grad():
        return x, teacher(x).argmax(1)
xtr, ytr = make(4000)
xva, yva = make(1000)

model = nn.Sequential(nn.Linear(64, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 10))
for m in model:
    if isinstance(m, nn.Linear):
        if CONTROL:
            nn.init.xavier_uniform_(m.weight, gain=nn.init.calculate_gain("tanh"))
        else:
            nn.init.normal_(m.weight, std=1.0)
        nn.init.zeros_(m.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

def saturation():
    with torch.no_grad():
        h, fr = xva, []
        for m in model:
            h = m(h)
            if isinstance(m, nn.Tanh):
                fr.append((h.abs() > 0.99).float().mean().item())
        return fr

f = open(os.path.join(LOG_DIR, "history.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["epoch", "loss", "accuracy", "val_loss", "val_accuracy"])
for epoch in range(12):
    model.train()
    perm = torch.randperm(len(xtr))
    tl, tc = 0.0, 0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        out = model(xtr[idx])
        loss = F.cross_entropy(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (out.argmax(1) == ytr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, round(tl / len(xtr), 5), round(tc / len(xtr), 4), round(vl, 5), round(va, 4)])
    f.flush()
    print(f"epoch {epoch} loss {tl / len(xtr):.4f} acc {tc / len(xtr):.3f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
sat = saturation()
print("probe: fraction of tanh outputs with |h|>0.99 per hidden layer: " + ", ".join(f"{s:.2f}" for s in sat))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / len(xtr), 4), "saturated_frac": [round(s, 3) for s in sat], "chance_acc": 0.1}))
