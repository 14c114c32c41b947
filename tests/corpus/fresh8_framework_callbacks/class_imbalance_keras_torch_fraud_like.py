# expect: class_imbalance
# allow: high_bias, data_mismatch
# forbid: *
# evidence: planted (1.8% positives in train): train acc 0.983 but minority recall 0.011 and val_acc 0.456 on balanced val (val_loss 1.37); control (balanced train): recall 0.86, val_acc 0.859, val_loss 0.33
# control: --control
# native-log: fraud_log.csv
# log-expect:
# log-allow: high_bias, data_mismatch
# Keras (torch backend) binary "fraud" classifier where positives are 2% of the training data and
# nothing compensates (no class_weight, no resampling). Accuracy looks great, minority recall is
# poor. The validation set is balanced 50/50 (what we care about). --control trains on balanced data
# of the same size.
import os, sys, json, tempfile
os.environ["KERAS_BACKEND"] = "torch"
import numpy as np
import torch; torch.set_num_threads(1)
import keras
keras.utils.set_random_seed(5)
balanced = "--control" in sys.argv
LOG = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOG, exist_ok=True)
rs = np.random.RandomState(5)
def draw(n, pos_frac):
    y = (rs.rand(n) < pos_frac).astype("int64")
    x = rs.normal(0, 1, (n, 10)).astype("float32")
    x[y == 1, :3] += 1.3
    return x, y
xtr, ytr = draw(2000, 0.5 if balanced else 0.02)
xva, yva = draw(1000, 0.5)
model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(2)])
model.compile(keras.optimizers.Adam(1e-3), keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(xtr, ytr, validation_split=0.2, epochs=10, batch_size=32, verbose=0,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(LOG, "fraud_log.csv"))])
pred = model.predict(xva, verbose=0).argmax(1)
recall_pos = float((pred[yva == 1] == 1).mean())
vl, va = model.evaluate(xva, yva, verbose=0); tl, ta = model.evaluate(xtr, ytr, verbose=0)
print(f"train positive fraction {ytr.mean():.3f}; minority recall on balanced val {recall_pos:.3f}; train acc {ta:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5,
                                     "val_recall_pos": round(recall_pos, 4), "train_pos_frac": round(float(ytr.mean()), 4)}))
