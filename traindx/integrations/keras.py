"""Keras 3 on the torch backend: `model.fit(..., callbacks=[TraindxCallback()])`.

Keras trains with its own optimisers and losses, which torch's hooks do not see; this callback
logs what Keras computes (each batch's train loss, recovered from Keras' running means; the
epoch's validation metrics; the learning rate) and, on sampled steps, the per-weight statistics
(gradient, weight and update norms of the torch tensors Keras keeps), exactly as `traindx run`
does for an unmodified Keras script; it prints the diagnosis at the end of fit."""
from __future__ import annotations

from pathlib import Path

import keras

from ..record.keras_capture import logger_class
from ._session import Session

_LOGGER = logger_class(keras)


class TraindxCallback(keras.callbacks.Callback):
    def __init__(self, out: str | Path = "runs/keras", every: int | None = None, report: bool = True,
                 stop_on: str | None = None):
        super().__init__()
        self._traindx = True  # `traindx run` adds no logger of its own when the script added this
        self.session = Session("keras", out=out, every=every, report=report, stop_on=stop_on)
        self._logger = None
        self._state: dict = {}  # the model is described once across fits

    @property
    def report(self):
        """The diagnosis of the last fit: Report(run, diagnosis, plan), or None."""
        return self.session.report

    def on_train_begin(self, logs=None):
        self.session.begin(None, epochs=self.params.get("epochs"), steps_per_epoch=self.params.get("steps"))
        recorder = self.session.recorder
        recorder.framework_steps = True  # Keras' optimiser is not torch.optim: batches close steps
        self._logger = _LOGGER(recorder, self._state)
        self._logger.set_model(self.model)

    def on_epoch_begin(self, epoch, logs=None):
        if self._logger is not None:
            self._logger.on_epoch_begin(epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        if self._logger is not None:
            self._logger.on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        if self._logger is not None:
            self._logger.on_train_batch_end(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self._logger is not None:
            self._logger.on_epoch_end(epoch, logs)

    def on_train_end(self, logs=None):
        self._logger = None
        self.session.end("completed")
