"""Keras habits re-implemented by hand: Model.compile(optimizer, loss, metrics) / Model.fit(
validation_data, epochs, batch_size) returning a History dict, written on top of a dict of params.
Heavy dropout (0.5) so the train loss (with dropout on) sits ABOVE the val loss: a look-alike.
History appended as JSON lines."""
# expect:
# allow:
# forbid: *
# evidence: val_accuracy 0.982 on 450 held-out digits (chance 0.10); val_loss 0.045 below train loss 0.077 because dropout=0.5 is active in training only (look-alike)
# native-log: history.jsonl
# log-expect:
# log-allow:
import os, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)
m, s = Xtr.mean(0), Xtr.std(0); s[s < 1e-3] = 1.0
Xtr, Xte = torch.tensor((Xtr - m) / s, dtype=torch.float32), torch.tensor((Xte - m) / s, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)

class Sequential:
    def __init__(self, sizes, dropout, seed):
        self.g = torch.Generator().manual_seed(seed)
        self.params = {}
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            lim = math.sqrt(6 / (a + b))
            self.params[f"dense_{i}"] = {"kernel": (torch.rand(a, b, generator=self.g) * 2 - 1) * lim, "bias": torch.zeros(b)}
        self.dropout = dropout
    def __call__(self, x, training=False):
        n = len(self.params)
        for i in range(n):
            p = self.params[f"dense_{i}"]
            x = x @ p["kernel"] + p["bias"]
            if i < n - 1:
                x = torch.relu(x)
                if training:
                    keep = (torch.rand(x.shape, generator=self.g) > self.dropout).float()
                    x = x * keep / (1 - self.dropout)
        return x
    def leaves(self): return [t for d in self.params.values() for t in d.values()]
    def compile(self, optimizer, loss, metrics):
        self.optimizer, self.loss, self.metrics = optimizer, loss, metrics
        self.opt_state = [torch.zeros_like(t) for t in self.leaves()], [torch.zeros_like(t) for t in self.leaves()]
        self.iterations = 0
    def train_on_batch(self, xb, yb):
        leaves = self.leaves()
        for t in leaves: t.requires_grad_(True)
        logits = self(xb, training=True)
        l = torch.nn.functional.cross_entropy(logits, yb)
        grads = torch.autograd.grad(l, leaves)
        self.iterations += 1
        lr, b1, b2 = self.optimizer["learning_rate"], 0.9, 0.999
        with torch.no_grad():
            for t, gr, mm, vv in zip(leaves, grads, *self.opt_state):
                mm.mul_(b1).add_(gr, alpha=1 - b1); vv.mul_(b2).addcmul_(gr, gr, value=1 - b2)
                t.sub_(lr * (mm / (1 - b1 ** self.iterations)) / ((vv / (1 - b2 ** self.iterations)).sqrt() + 1e-7))
        return l.item(), (logits.argmax(1) == yb).float().mean().item()
    def evaluate(self, x, y):
        with torch.no_grad():
            lo = self(x); return torch.nn.functional.cross_entropy(lo, y).item(), (lo.argmax(1) == y).float().mean().item()
    def fit(self, x, y, batch_size, epochs, validation_data, log_path):
        history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        with open(log_path, "w") as f:
            for ep in range(epochs):
                perm = torch.randperm(len(x), generator=self.g)
                ls, accs = [], []
                for i in range(0, len(x), batch_size):
                    idx = perm[i:i + batch_size]
                    l, a = self.train_on_batch(x[idx], y[idx]); ls.append(l); accs.append(a)
                vl, va = self.evaluate(*validation_data)
                rec = {"epoch": ep, "step": self.iterations, "loss": float(np.mean(ls)), "accuracy": float(np.mean(accs)),
                       "val_loss": vl, "val_accuracy": va}
                for k in history: history[k].append(rec[k])
                f.write(json.dumps(rec) + "\n")
                print(f"Epoch {ep+1}/{epochs} - loss: {rec['loss']:.4f} - accuracy: {rec['accuracy']:.4f} - val_loss: {vl:.4f} - val_accuracy: {va:.4f}")
        return history

model = Sequential([64, 256, 256, 10], dropout=0.5, seed=1)
model.compile(optimizer={"name": "adam", "learning_rate": 1e-3}, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
hist = model.fit(Xtr, ytr, batch_size=32, epochs=15, validation_data=(Xte, yte), log_path=os.path.join(LOG_DIR, "history.jsonl"))
vl, va = model.evaluate(Xte, yte)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(hist["loss"][-1], 4), "chance_acc": 0.1}))
