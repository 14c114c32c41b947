"""skorch: `NeuralNetClassifier(..., callbacks=[TraindxCallback()])`.

Records `net.fit` with traindx's recorder (per-layer statistics from `net.module_` and its torch
optimiser), takes each epoch's validation metrics from skorch's history (`valid_loss`,
`valid_acc`) at the optimiser step the epoch ended on, and prints the diagnosis when fit ends."""
from __future__ import annotations

from pathlib import Path

from skorch.callbacks import Callback

from ._session import Session, number

EVAL_KEYS = {"valid_loss": "eval_loss", "valid_acc": "eval_acc"}


class TraindxCallback(Callback):
    def __init__(self, out: str | Path = "runs/skorch", every: int | None = None, report: bool = True,
                 stop_on: str | None = None):
        self._traindx = True
        self.out, self.every, self.report_on, self.stop_on = out, every, report, stop_on
        self.session = None

    @property
    def report(self):
        """The diagnosis of the last fit: Report(run, diagnosis, plan), or None."""
        return self.session.report if self.session is not None else None

    def initialize(self):
        # skorch clones callbacks' parameters (get_params) and calls initialize on every fit
        self.session = Session("skorch", out=self.out, every=self.every, report=self.report_on,
                               stop_on=self.stop_on)
        return self

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.session.begin(getattr(net, "module_", None), max_epochs=net.max_epochs, batch_size=net.batch_size,
                           lr=net.lr)

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        row = net.history[-1] if len(net.history) else {}
        evals = {name: number(row[key]) for key, name in EVAL_KEYS.items() if key in row}
        self.session.log(None, **{k: v for k, v in evals.items() if v is not None})

    def on_train_end(self, net, X=None, y=None, **kwargs):
        self.session.end("completed")
