# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (SGD lr=0.05) reaches val_acc 0.995, val_loss 0.014; planted (lr=1e-5) train loss only 1.403 -> 1.363 over 15 epochs (ln4=1.386), val_acc 0.39 (chance 0.25)
# control: --control
# native-log: history.json
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""Planted learning_rate_too_low: Keras 3 (torch backend) MLP for 4-class "network traffic"
classification on standardised features, plain SGD at lr=1e-5 (the user typed 1e-5 thinking
of Adam). History.history is dumped to history.json. --control sets the SGD lr to 0.05 and
changes nothing else."""
import os, sys, json, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
import keras
keras.utils.set_random_seed(3)
CONTROL = "--control" in sys.argv
LR = 0.05 if CONTROL else 1e-5
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(3)
C, D = 4, 16
proto = rng.normal(0, 1.0, (C, 3, D))
def make(n):
    y = rng.integers(0, C, n); sub = rng.integers(0, 3, n)
    x = proto[y, sub] + rng.normal(0, 0.8, (n, D))
    return x.astype("float32"), y
xtr, ytr = make(3000); xva, yva = make(800)
mu, sd = xtr.mean(0), xtr.std(0); xtr = (xtr - mu) / sd; xva = (xva - mu) / sd

model = keras.Sequential([keras.Input((D,)), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(64, activation="relu"), keras.layers.Dense(C, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(LR, momentum=0.9), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
h = model.fit(xtr, ytr, validation_data=(xva, yva), epochs=15, batch_size=64, verbose=0)
with open(os.path.join(LOGDIR, "history.json"), "w") as f:
    json.dump({k: [float(v) for v in vs] for k, vs in h.history.items()}, f)
vl, vacc = model.evaluate(xva, yva, verbose=0); tl, tacc = model.evaluate(xtr, ytr, verbose=0)
print("probe loss_epoch0 %.4f loss_last %.4f" % (h.history["loss"][0], h.history["loss"][-1]))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 0.25, "lr": LR}))
