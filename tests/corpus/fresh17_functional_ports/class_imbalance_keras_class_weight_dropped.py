"""Port of a Keras `model.fit(..., class_weight={0: 1, 1: 12, 2: 12})` into a hand-written fit loop
over a dict of params; the class_weight argument was silently dropped, so with 92% / 4% / 4% labels
the model learns to predict almost only the majority class. --control applies the class weights
(as Keras does: per-sample weight on the loss). Epoch history as JSON lines."""
# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: label shares 0.92/0.04/0.04; planted predicts class 0 for 95.4% of val samples (true 92.0%), minority recall 0.425, balanced_acc 0.617; control (class_weight applied) minority recall 0.725, balanced_acc 0.807 (val_acc 0.954 vs 0.950, both near the 0.92 majority rate)
# control: --control
# native-log: history.jsonl
# log-expect:
# log-allow: class_imbalance, high_bias, non_convergence
import os, sys, json, math, random, tempfile
import numpy as np, torch
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = make_classification(n_samples=5000, n_features=16, n_informative=6, n_redundant=2, n_classes=3, n_clusters_per_class=1,
                           weights=[0.92, 0.04, 0.04], class_sep=0.6, flip_y=0.0, random_state=13)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xte = torch.tensor((Xtr - mu) / sd, dtype=torch.float32), torch.tensor((Xte - mu) / sd, dtype=torch.float32)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)
print("label shares:", [round(float((ytr == c).float().mean()), 3) for c in range(3)])

class_weight = {0: 1.0, 1: 12.0, 2: 12.0}
g = torch.Generator().manual_seed(0)
params = {"dense": {"kernel": torch.randn(16, 32, generator=g) * math.sqrt(2 / 16), "bias": torch.zeros(32)},
          "dense_1": {"kernel": torch.randn(32, 3, generator=g) / math.sqrt(32), "bias": torch.zeros(3)}}
def model(x):
    h = torch.relu(x @ params["dense"]["kernel"] + params["dense"]["bias"])
    return h @ params["dense_1"]["kernel"] + params["dense_1"]["bias"]

def fit(x, yy, epochs, batch_size, class_weight=None, log_path=None):
    global params
    t, mom = 0, {a: {b: torch.zeros_like(v) for b, v in d.items()} for a, d in params.items()}
    gen = torch.Generator().manual_seed(1)
    with open(log_path, "w") as f:
        for ep in range(epochs):
            perm = torch.randperm(len(x), generator=gen); ls = []
            for i in range(0, len(x), batch_size):
                idx = perm[i:i + batch_size]
                names = [(a, b) for a in params for b in params[a]]
                leaves = [params[a][b].requires_grad_(True) for a, b in names]
                per = torch.nn.functional.cross_entropy(model(x[idx]), yy[idx], reduction="none")
                if class_weight is not None:
                    per = per * torch.tensor([class_weight[int(c)] for c in yy[idx]])
                loss = per.mean()
                grads = torch.autograd.grad(loss, leaves); t += 1
                with torch.no_grad():
                    for (a, b), gr in zip(names, grads):
                        mom[a][b] = 0.9 * mom[a][b] + gr
                        params[a][b] = (params[a][b] - 0.01 * mom[a][b]).detach()
                ls.append(loss.item())
            vm = evaluate(Xte, yte)
            rec = {"epoch": ep + 1, "step": t, "loss": float(np.mean(ls)), **{f"val_{k}": v for k, v in vm.items()}}
            f.write(json.dumps(rec) + "\n")
            if ep % 3 == 2: print(f"Epoch {ep+1}/{epochs} - loss: {rec['loss']:.4f} - val_loss: {vm['loss']:.4f} - val_accuracy: {vm['accuracy']:.4f} - val_balanced_accuracy: {vm['balanced_accuracy']:.4f}")

def evaluate(x, yy):
    with torch.no_grad():
        lo = model(x); pred = lo.argmax(1)
        rec = [((pred == c) & (yy == c)).sum().item() / max(1, (yy == c).sum().item()) for c in range(3)]
        return {"loss": torch.nn.functional.cross_entropy(lo, yy).item(), "accuracy": (pred == yy).float().mean().item(),
                "balanced_accuracy": float(np.mean(rec)), "minority_recall": float(np.mean(rec[1:])), "pred_majority_rate": (pred == 0).float().mean().item()}

fit(Xtr, ytr, epochs=12, batch_size=64, class_weight=class_weight if CONTROL else None, log_path=os.path.join(LOG_DIR, "history.jsonl"))
vm, tm = evaluate(Xte, yte), evaluate(Xtr, ytr)
print(f"probe: val predicted-majority rate {vm['pred_majority_rate']:.3f} (true {float((yte == 0).float().mean()):.3f}), minority recall {vm['minority_recall']:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vm["loss"], 4), "val_acc": round(vm["accuracy"], 4), "val_balanced_acc": round(vm["balanced_accuracy"], 4),
                                     "val_minority_recall": round(vm["minority_recall"], 4), "train_loss": round(tm["loss"], 4), "chance_acc": round(float((yte == 0).float().mean()), 4)}))
