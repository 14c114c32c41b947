"""Plain PyTorch MLP on digits whose data-prep shuffles X and y with two DIFFERENT permutations
(`rng.shuffle(X); rng.shuffle(y)` -- the same rng advanced between the calls), so the training
labels no longer belong to their images. The training loop prints Keras-3-style progress lines
(redrawn with \\r, '━' bars, 'accuracy: ... - loss: ... - val_accuracy: ... - val_loss: ...')
and the captured stdout, with a few warnings and an absl line mixed in, is the native log."""
# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: control (X and y shuffled with one permutation) val_acc 0.975, val_loss 0.10; planted val_acc 0.095 (chance 0.10), val_loss 2.40 (>= ln10 2.30), train loss only 2.30 -> 2.02 (train_acc 0.29, memorising noise)
# control: --control
# native-log: stdout.txt
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
q = np.random.default_rng(1).permutation(len(X))
Xva, yva = torch.tensor(X[q[:400]], dtype=torch.float32), torch.tensor(y[q[:400]])
X, y = X[q[400:]].copy(), y[q[400:]].copy()
rng = np.random.default_rng(0)
if CONTROL:
    p = rng.permutation(len(X)); X, y = X[p], y[p]
else:
    rng.shuffle(X); rng.shuffle(y)          # bug: two different permutations
Xtr, ytr = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
out = open(os.path.join(logdir, "stdout.txt"), "w")
out.write("2026-02-11 08:14:03.118204: I external/local_xla/xla/tsl/cuda/cudart_stub.cc:32] Could not find cuda drivers on your machine, GPU will not be used.\n")
out.write("/usr/local/lib/python3.11/dist-packages/keras/src/layers/core/dense.py:87: UserWarning: Do not pass an `input_shape`/`input_dim` argument to a layer.\n  super().__init__(activity_regularizer=activity_regularizer, **kwargs)\n")
nb = (len(Xtr) + 31) // 32
for ep in range(20):
    out.write(f"Epoch {ep+1}/20\n")
    perm = torch.randperm(len(Xtr)); tot = cor = n = 0; line = ""
    for k, i in enumerate(range(0, len(Xtr), 32)):
        idx = perm[i:i + 32]
        o = model(Xtr[idx]); loss = nn.functional.cross_entropy(o, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); cor += (o.argmax(1) == ytr[idx]).sum().item(); n += len(idx)
        if k % 10 == 0:
            bar = "━" * int(20 * (k + 1) / nb)
            line += f"\r{k+1:>2}/{nb} {bar:<20} 0s 2ms/step - accuracy: {cor/n:.4f} - loss: {tot/n:.4f}"
    with torch.no_grad():
        ov = model(Xva); vl = nn.functional.cross_entropy(ov, yva).item(); va = (ov.argmax(1) == yva).float().mean().item()
    out.write(line + f"\r{nb}/{nb} {'━'*20} 1s 3ms/step - accuracy: {cor/n:.4f} - loss: {tot/n:.4f} - val_accuracy: {va:.4f} - val_loss: {vl:.4f}\n")
out.close(); tl = tot / n
print(f"control={CONTROL} train_loss {tl:.4f} train_acc {cor/n:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
