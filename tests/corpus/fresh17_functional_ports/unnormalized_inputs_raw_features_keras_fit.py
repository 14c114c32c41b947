"""Keras-style compile/fit re-implemented by hand over a dict of params (Dense(32, relu) -> Dense(16, relu)
-> Dense(1)), hand-written Adam. The port forgot the `tf.keras.layers.Normalization` layer that the
original model had adapted on the training data, so raw breast-cancer features go in (feature scales
from ~0.001 to ~4000). --control puts the adapted Normalization (mean/std of train) back."""
# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, overfitting, high_variance
# forbid: *
# evidence: raw feature means 0.0038..878, stds 0.0023..577 (printed); control (Normalization restored) val_acc 0.951 val_loss 0.119 train_loss 0.017; planted val_acc 0.895 val_loss 0.226 train_loss 0.183, val accuracy jumping 0.85-0.92 between epochs
# control: --control
# native-log: fit_history.jsonl
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high, overfitting, high_variance
import os, sys, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
print(f"raw feature means {Xtr.mean(0).min():.4g}..{Xtr.mean(0).max():.4g}, stds {Xtr.std(0).min():.4g}..{Xtr.std(0).max():.4g}")
Xtr, Xte = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xte, dtype=torch.float32)
ytr, yte = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yte, dtype=torch.float32)

class Normalization:
    def adapt(self, x): self.mean, self.std = x.mean(0), x.std(0)
    def __call__(self, x): return (x - self.mean) / self.std
norm = Normalization(); norm.adapt(Xtr)

g = torch.Generator().manual_seed(0)
def dense(a, b):
    lim = math.sqrt(6 / (a + b)); return {"kernel": (torch.rand(a, b, generator=g) * 2 - 1) * lim, "bias": torch.zeros(b)}
params = {"dense": dense(30, 32), "dense_1": dense(32, 16), "dense_2": dense(16, 1)}
def model(x):
    if CONTROL: x = norm(x)
    x = torch.relu(x @ params["dense"]["kernel"] + params["dense"]["bias"])
    x = torch.relu(x @ params["dense_1"]["kernel"] + params["dense_1"]["bias"])
    return (x @ params["dense_2"]["kernel"] + params["dense_2"]["bias"]).squeeze(-1)

opt = {"lr": 1e-3, "t": 0, "m": {}, "v": {}}
def apply_gradients(pairs):
    opt["t"] += 1; t = opt["t"]
    with torch.no_grad():
        for (a, b), gr in pairs:
            m = opt["m"].setdefault((a, b), torch.zeros_like(gr)); v = opt["v"].setdefault((a, b), torch.zeros_like(gr))
            m.mul_(0.9).add_(0.1 * gr); v.mul_(0.999).add_(0.001 * gr * gr)
            params[a][b] = (params[a][b] - opt["lr"] * (m / (1 - 0.9 ** t)) / ((v / (1 - 0.999 ** t)).sqrt() + 1e-7)).detach()

def bce(logits, yb): return torch.nn.functional.binary_cross_entropy_with_logits(logits, yb)
def evaluate(x, yy):
    with torch.no_grad():
        lo = model(x); return bce(lo, yy).item(), ((lo > 0).float() == yy).float().mean().item()

gen = torch.Generator().manual_seed(1)
with open(os.path.join(LOG_DIR, "fit_history.jsonl"), "w") as f:
    for epoch in range(40):
        perm = torch.randperm(len(Xtr), generator=gen); ls = []
        for i in range(0, len(Xtr), 32):
            idx = perm[i:i + 32]
            names = [(a, b) for a in params for b in params[a]]
            leaves = [params[a][b].requires_grad_(True) for a, b in names]
            loss = bce(model(Xtr[idx]), ytr[idx])
            apply_gradients(zip(names, torch.autograd.grad(loss, leaves))); ls.append(loss.item())
        tl, ta = evaluate(Xtr, ytr); vl, va = evaluate(Xte, yte)
        rec = {"epoch": epoch + 1, "step": opt["t"], "loss": float(np.mean(ls)), "accuracy": ta, "val_loss": vl, "val_accuracy": va}
        f.write(json.dumps(rec) + "\n")
        if epoch % 5 == 4:
            print(f"Epoch {epoch+1}/40 - loss: {rec['loss']:.4f} - accuracy: {ta:.4f} - val_loss: {vl:.4f} - val_accuracy: {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(float(yte.mean()), 4)}))
