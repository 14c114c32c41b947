# Customer-segment classifier (8 ReLU layers). Weights initialised with N(0, 0.01^2) "like the
# original AlexNet code"; with 128-wide layers the activation scale shrinks ~15x per layer, so the
# signal is ~1e-9 of the input by the top layer. W&B-style offline history written by hand.
# expect: poor_initialization
# allow: vanishing_gradients, non_convergence, high_bias, learning_rate_too_low
# forbid: *
# evidence: N(0,0.01) init in 8 ReLU layers: activation std falls from 2.7e-02 (layer 1) to 5.0e-10 (layer 8) at init; stuck at chance: val_acc 0.245 (chance 0.25), val_loss 1.387 = ln4, train_loss 1.386; --control (He init) activation std 0.84->0.76, val_acc 0.852, val_loss 0.682
# control: --control
# native-log: wandb/run-offline/files/wandb-history.jsonl
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_low
import os, sys, json, time, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0)
X, y = make_classification(n_samples=4000, n_features=20, n_informative=12, n_redundant=4, n_classes=4,
                           n_clusters_per_class=2, class_sep=1.2, flip_y=0.02, random_state=0)
X = ((X - X[:3000].mean(0)) / X[:3000].std(0)).astype(np.float32)
Xtr, ytr, Xva, yva = torch.tensor(X[:3000]), torch.tensor(y[:3000]), torch.tensor(X[3000:]), torch.tensor(y[3000:])

layers, d = [], 20
for _ in range(8):
    layers += [nn.Linear(d, 128), nn.ReLU()]; d = 128
model = nn.Sequential(*layers, nn.Linear(d, 4))
for m in model.modules():
    if isinstance(m, nn.Linear):
        if CONTROL:
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        else:
            nn.init.normal_(m.weight, mean=0.0, std=0.01)
        nn.init.zeros_(m.bias)


def act_scales():
    with torch.no_grad():
        h, s = Xva, []
        for m in model:
            h = m(h)
            if isinstance(m, nn.ReLU): s.append(float(f"{h.std().item():.3g}"))
    return s


init_scales = act_scales()
print("activation std per ReLU layer at init:", init_scales)
files = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "wandb", "run-offline", "files")
os.makedirs(files, exist_ok=True)
hist = open(os.path.join(files, "wandb-history.jsonl"), "w")
t0 = time.time()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()
step = 0
for epoch in range(15):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        out = model(Xtr[b]); loss = crit(out, ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        if step % 5 == 0:
            hist.write(json.dumps({"_step": step, "_runtime": time.time() - t0, "train_loss": loss.item(), "train_acc": (out.argmax(1) == ytr[b]).float().mean().item(), "learning_rate": 0.01}) + "\n")
        step += 1
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    hist.write(json.dumps({"_step": step, "_runtime": time.time() - t0, "val_loss": vl, "val_acc": va, "epoch": epoch}) + "\n"); hist.flush()
    print(f"Epoch {epoch}: val_loss={vl:.4f} val_acc={va:.4f}")
hist.close()
with torch.no_grad():
    tl = crit(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25, "chance_loss": round(float(np.log(4)), 4),
                                     "act_std_first_relu_at_init": init_scales[0], "act_std_last_relu_at_init": init_scales[-1]}))
