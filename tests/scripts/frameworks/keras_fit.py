"""A Keras 3 (torch backend) model trained by fit with SGD; its own log: CSVLogger's CSV."""
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402

from _data import args, data  # noqa: E402

a = args()
xt, yt, xv, yv = (t.numpy() for t in data())
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(64, activation="relu"),
                          keras.layers.Dense(64, activation="relu"), keras.layers.Dense(4)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=a.lr, momentum=0.9),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
os.makedirs(a.logs, exist_ok=True)
callbacks = [keras.callbacks.CSVLogger(os.path.join(a.logs, "training.csv"))]
if a.callback:
    from traindx.integrations.keras import TraindxCallback
    callbacks.append(TraindxCallback(out=a.callback))
model.fit(xt, yt, validation_data=(xv, yv), epochs=8, batch_size=32, verbose=0, callbacks=callbacks)
