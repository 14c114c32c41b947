"""tf.data habit ported by hand: `train_ds = train_ds.take(N)` left over from debugging, so a wide
MLP (params in a dict, hand-written Adam) trains for many epochs on 160 examples while eval uses the
full held-out split. Eval loss bottoms out early and then climbs while train loss -> 0.
TensorBoard event dir (train/loss, eval/loss, eval/accuracy). --control removes the .take()."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (160 train examples): eval/loss 1.21 after epoch 0 then climbs steadily to 1.86 while train loss -> 0.0013, val_acc 0.55; control (full 1800 train examples, same ~300 steps) val_acc 0.71, val_loss 0.80 (chance 0.25, 4 classes, 3% label flips in the data)
# control: --control
# native-log: tb
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, math, random, tempfile
import numpy as np, torch
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))

X, y = make_classification(n_samples=2400, n_features=40, n_informative=10, n_redundant=5, n_classes=4,
                           n_clusters_per_class=2, flip_y=0.03, class_sep=1.0, random_state=9)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=9, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0); sd[sd < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

class Dataset:
    def __init__(self, x, y): self.x, self.y = x, y
    def take(self, n): return Dataset(self.x[:n], self.y[:n])
    def shuffle_batch(self, bs, g):
        perm = torch.randperm(len(self.x), generator=g)
        for i in range(0, len(self.x), bs): yield self.x[perm[i:i + bs]], self.y[perm[i:i + bs]]
train_ds = Dataset(Xtr, ytr)
if not CONTROL:
    train_ds = train_ds.take(160)   # TODO remove (debug)
print(f"train examples: {len(train_ds.x)}")

key = torch.Generator().manual_seed(0)
params = {"w1": torch.randn(40, 512, generator=key) * math.sqrt(2 / 40), "b1": torch.zeros(512),
          "w2": torch.randn(512, 512, generator=key) * math.sqrt(2 / 512), "b2": torch.zeros(512),
          "w3": torch.randn(512, 4, generator=key) / math.sqrt(512), "b3": torch.zeros(4)}
def apply(p, x):
    h = torch.relu(x @ p["w1"] + p["b1"]); h = torch.relu(h @ p["w2"] + p["b2"])
    return h @ p["w3"] + p["b3"]
s = {"m": {k: torch.zeros_like(v) for k, v in params.items()}, "v": {k: torch.zeros_like(v) for k, v in params.items()}, "t": 0}
gen = torch.Generator().manual_seed(1)
EPOCHS = 60 if not CONTROL else 6   # about the same number of optimizer steps (~300) in both runs
step = 0
for epoch in range(EPOCHS):
    for xb, yb in train_ds.shuffle_batch(32, gen):
        leaves = [v.requires_grad_(True) for v in params.values()]
        loss = torch.nn.functional.cross_entropy(apply(params, xb), yb)
        grads = torch.autograd.grad(loss, leaves)
        s["t"] += 1; t = s["t"]
        with torch.no_grad():
            for (k, v), gr in zip(params.items(), grads):
                s["m"][k] = 0.9 * s["m"][k] + 0.1 * gr; s["v"][k] = 0.999 * s["v"][k] + 0.001 * gr * gr
                params[k] = (v - 1e-3 * (s["m"][k] / (1 - 0.9 ** t)) / ((s["v"][k] / (1 - 0.999 ** t)).sqrt() + 1e-8)).detach()
        step += 1
        writer.add_scalar("train/loss", loss.item(), step)
    with torch.no_grad():
        lo = apply(params, Xte); vl = torch.nn.functional.cross_entropy(lo, yte).item(); va = (lo.argmax(1) == yte).float().mean().item()
        tl = torch.nn.functional.cross_entropy(apply(params, train_ds.x), train_ds.y).item()
    writer.add_scalar("eval/loss", vl, step); writer.add_scalar("eval/accuracy", va, step)
    if epoch % max(1, EPOCHS // 6) == 0 or epoch == EPOCHS - 1:
        print(f"[epoch {epoch}] step={step} train_loss={tl:.4f} eval_loss={vl:.4f} eval_accuracy={va:.4f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
