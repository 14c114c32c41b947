"""Tabular 6-class MLP whose loss is computed by a hand-written softmax in float16 "to save memory".

probs = exp(logits.half()) / sum(...) overflows to inf/inf = NaN as soon as one logit passes
~11.1 (fp16 max 65504), which happens once the model gets confident.  The NaN loss poisons
the weights and the script keeps printing "[ep 7 | it 120] loss: nan  acc: 0.167 ..." lines.
Console lines use "key: value" pairs, with a validation line every 40 iterations.
--control computes the same cross-entropy with F.cross_entropy in float32.
"""
# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: planted: val_acc 0.964 at it 120, then loss nan from it 140 on (printed nan every line to it 300), final val_acc 0.16 (chance 0.167); control (fp32 F.cross_entropy) val_acc 0.974, val_loss 0.131
# control: --control
# native-log: run_console.txt
# log-expect: non_finite
# log-allow: non_convergence, learning_rate_too_high, exploding_gradients
import os, sys, json, random, tempfile, math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="colon_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "run_console.txt"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = make_classification(n_samples=2000, n_features=16, n_informative=10, n_redundant=2, n_classes=6,
                           n_clusters_per_class=1, class_sep=2.0, random_state=7)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
Xtr, Xva, ytr, yva = map(torch.tensor, train_test_split(X, y, test_size=0.25, random_state=0))
model = nn.Sequential(nn.Linear(16, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 6))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def loss_fn(logits, target):
    if CONTROL:
        return F.cross_entropy(logits, target)
    e = torch.exp(logits.half())                      # fp16 "memory saving" softmax, no max-subtraction
    probs = (e / e.sum(1, keepdim=True)).float()
    return -torch.log(probs[torch.arange(len(target)), target] + 1e-8).mean()


BS, EPOCHS = 50, 10
it = 0
echo(f"model: MLP(16-128-128-6)  params: {sum(p.numel() for p in model.parameters())}  loss: {'F.cross_entropy fp32' if CONTROL else 'manual softmax fp16'}")
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        out = model(Xtr[idx]); loss = loss_fn(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); it += 1
        if it % 10 == 0:
            acc = (out.argmax(1) == ytr[idx]).float().mean().item()
            echo(f"[ep {ep} | it {it}] loss: {loss.item():.4f}  acc: {acc:.3f}  lr: {opt.param_groups[0]['lr']:.0e}")
        if it % 40 == 0:
            model.eval()
            with torch.no_grad():
                vo = model(Xva); vl = loss_fn(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
                vl32 = F.cross_entropy(vo, yva).item()
            echo(f"  >> validation it: {it}  val_loss: {vl:.4f}  val_acc: {va:.3f}")
            model.train()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl32, 4) if math.isfinite(vl32) else str(vl32), "val_acc": round(va, 4), "chance_acc": 0.1667}))
