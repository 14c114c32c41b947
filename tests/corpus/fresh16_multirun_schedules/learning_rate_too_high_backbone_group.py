# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias, dead_units
# forbid: *
# evidence: control (backbone lr 1e-3) train_loss 0.028, val_loss 0.096, val_acc 0.976; planted (backbone lr 0.2) train_loss oscillates 0.14 -> 0.76 -> 0.22 between epochs, first-layer weight norm 9 -> 148, val_loss 0.32, val_acc 0.907 (chance 0.10)
# control: --control
# native-log: train_log.csv
# log-expect:
# log-allow: learning_rate_too_high, non_convergence, high_bias
"""Digits MLP with per-parameter-group learning rates (Adam): the classifier head group
uses lr=1e-3, the backbone group lr=BACKBONE_LR. The planted bug: the backbone group's lr
is 0.2 (a "discriminative lr" multiplier applied the wrong way round).
--control sets the backbone lr to 1e-3 like the head."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
BACKBONE_LR = 1e-3 if CONTROL else 2e-1
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "train_log.csv"), "w")
log.write("epoch,step,lr_backbone,lr_head,train_loss,val_loss,val_acc\n")

X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))

backbone = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
head = nn.Linear(64, 10)
model = nn.Sequential(backbone, head)
opt = torch.optim.Adam([{"params": backbone.parameters(), "lr": BACKBONE_LR},
                        {"params": head.parameters(), "lr": 1e-3}])
lossf = nn.CrossEntropyLoss()
step = 0
for ep in range(15):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    tl = tot / len(Xtr)
    log.write(f"{ep},{step},{opt.param_groups[0]['lr']},{opt.param_groups[1]['lr']},{tl:.5f},{vl:.5f},{va:.4f}\n")
    print(f"epoch {ep} step {step} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f} first_w_norm {backbone[0].weight.norm().item():.1f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
