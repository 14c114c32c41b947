"""Planted non_convergence: Keras 3 (torch backend) churn model whose labels were shuffled apart from the rows.

Synthetic customer table: region (12 levels), plan (5), device (4) as integer categories, plus
tenure in months and monthly charge in dollars (standardised by a Normalization layer adapted on
the training split). The churn probability is a known logistic function of these, so the Bayes
accuracy is computed exactly. Embedding + Dense model, Adam, EarlyStopping(restore_best_weights),
ReduceLROnPlateau, keras.callbacks.CSVLogger into $CORPUS_LOG_DIR.
The planted bug: when the table is shuffled before the split, the label column is shuffled with
its own permutation, so labels no longer belong to their rows. The loss never leaves the
base-rate level and val accuracy stays at chance. --control uses the same permutation for both.
"""
# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: planted val_acc 0.45, val_loss 0.70 = base-rate entropy 0.69 (majority 0.50); control val_acc 0.73, val_loss 0.54 (true-model expected acc 0.715)
# control: --control
# native-log: churn_log.csv
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance
import os, sys, json, random, tempfile, warnings
os.environ["KERAS_BACKEND"] = "torch"
warnings.filterwarnings("ignore")
import numpy as np
import torch
torch.set_num_threads(1)
random.seed(7); np.random.seed(7); torch.manual_seed(7)
CONTROL = "--control" in sys.argv
import keras
from keras import layers
keras.utils.set_random_seed(7)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_churn_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(7)
N = 6000
region = rng.integers(0, 12, N); plan = rng.integers(0, 5, N); device = rng.integers(0, 4, N)
tenure = rng.gamma(2.0, 14.0, N)                       # months
charge = 20 + 15 * plan + rng.normal(0, 12, N)         # dollars per month
r_eff = rng.normal(0, 0.8, 12); p_eff = np.array([0.6, 0.2, 0.0, -0.3, -0.8]); d_eff = np.array([0.3, -0.2, 0.0, 0.5])
logit = (r_eff[region] + p_eff[plan] + d_eff[device] - 1.6 * np.log1p(tenure / 12) + 0.03 * (charge - 50)
         + 0.9 * (device == 3) * (plan >= 3) + 2.1)
p_true = 1 / (1 + np.exp(-logit))
y = (rng.random(N) < p_true).astype("float32")
num = np.stack([tenure, charge], 1).astype("float32")
# shuffle the table before splitting ...
perm = rng.permutation(N)
region, plan, device, num, p_true = region[perm], plan[perm], device[perm], num[perm], p_true[perm]
perm_y = perm if CONTROL else rng.permutation(N)   # BUG: the label column gets its own permutation
y = y[perm_y]
tr, va = np.arange(4500), np.arange(4500, N)


def inputs(ix):
    return {"region": region[ix], "plan": plan[ix], "device": device[ix], "num": num[ix]}


norm = layers.Normalization(name="num_norm")
norm.adapt(num[tr])
i_reg = keras.Input((), dtype="int32", name="region"); i_plan = keras.Input((), dtype="int32", name="plan")
i_dev = keras.Input((), dtype="int32", name="device"); i_num = keras.Input((2,), name="num")
feats = layers.Concatenate()([layers.Embedding(12, 4)(i_reg), layers.Embedding(5, 3)(i_plan),
                              layers.Embedding(4, 3)(i_dev), norm(i_num)])
h = layers.Dense(32, activation="relu")(feats)
h = layers.Dropout(0.1)(h)
h = layers.Dense(16, activation="relu")(h)
out = layers.Dense(1, activation="sigmoid")(h)
model = keras.Model([i_reg, i_plan, i_dev, i_num], out)
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", metrics=["accuracy"])
log_path = os.path.join(LOG_DIR, "churn_log.csv")
hist = model.fit(inputs(tr), y[tr], validation_data=(inputs(va), y[va]), epochs=30, batch_size=128, verbose=0,
                 callbacks=[keras.callbacks.CSVLogger(log_path),
                            keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True),
                            keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2)])
vl, vacc = model.evaluate(inputs(va), y[va], verbose=0)
tl, tacc = model.evaluate(inputs(tr), y[tr], verbose=0)
pv = np.clip(p_true[va], 1e-7, 1 - 1e-7)
bayes_acc = float(np.mean(np.maximum(pv, 1 - pv)))  # expected accuracy of the true model on correct labels
bayes_loss = float(-np.mean(pv * np.log(pv) + (1 - pv) * np.log(1 - pv)))
print("epochs:", len(hist.history["loss"]))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(tacc, 4), "bayes_acc": round(bayes_acc, 4),
                                     "bayes_loss": round(bayes_loss, 4), "majority_acc": round(float(max(y.mean(), 1 - y.mean())), 4)}))
