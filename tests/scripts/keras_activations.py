"""A small Keras 3 (torch backend) classifier whose hidden Dense layers carry their activation:
`saturated` (tanh, weights of std 1: pre-activations of std ~4), `dead` (relu, biases at -5), or
`healthy` (relu, Keras' defaults)."""
import os
import sys

os.environ["KERAS_BACKEND"] = "torch"
import keras  # noqa: E402
import numpy as np  # noqa: E402

case = sys.argv[1]
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(512, 20)).astype("float32")
y = (x[:, :3].sum(axis=1) > 0).astype("int64")
if case == "saturated":
    hidden = dict(activation="tanh", kernel_initializer=keras.initializers.RandomNormal(stddev=1.0))
elif case == "dead":
    hidden = dict(activation="relu", bias_initializer=keras.initializers.Constant(-5.0))
else:
    hidden = dict(activation="relu")
model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(64, **hidden),
                          keras.layers.Dense(64, **hidden), keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(x[:400], y[:400], validation_data=(x[400:], y[400:]), epochs=4, batch_size=32, verbose=0)
