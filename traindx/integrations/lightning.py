"""Lightning: `Trainer(callbacks=[TraindxCallback()])`.

Records the fit with traindx's recorder (per-layer statistics from the LightningModule and its
torch optimisers), takes the validation metrics the module logs (`self.log("val_loss", ...)`) at
the trainer's global step, skips the sanity check (two validation batches before training are
not an evaluation of the model), reads Ctrl-C as an interrupted fit, prints the diagnosis at the
end of fit, and logs the findings to the trainer's loggers. Works with `lightning` and with
`pytorch_lightning` (whichever the script imported)."""
from __future__ import annotations

import sys
from pathlib import Path

from ._session import Session, metric_counts, number, python_logger


def _lightning():
    """The Lightning package the script uses: a Trainer only accepts its own package's Callback."""
    if "pytorch_lightning" in sys.modules and "lightning" not in sys.modules:
        import pytorch_lightning as pl
        return pl
    try:
        import lightning.pytorch as pl
    except ImportError:
        import pytorch_lightning as pl
    return pl


pl = _lightning()
EVAL_PREFIXES = ("val", "valid", "validation", "eval")
TEST_PREFIXES = ("test",)


class TraindxCallback(pl.Callback):
    def __init__(self, out: str | Path = "runs/lightning", every: int | None = None, report: bool = True,
                 stop_on: str | None = None):
        super().__init__()
        self._traindx = True  # `traindx run` adds none of its own when the script added this one
        self.session = Session("lightning", out=out, every=every, report=report, stop_on=stop_on)

    @property
    def report(self):
        """The diagnosis of the last fit: Report(run, diagnosis, plan), or None."""
        return self.session.report

    def on_fit_start(self, trainer, pl_module) -> None:
        self.session.begin(pl_module, max_epochs=trainer.max_epochs, max_steps=trainer.max_steps,
                           accumulate_grad_batches=trainer.accumulate_grad_batches,
                           precision=str(trainer.precision))

    def on_sanity_check_start(self, trainer, pl_module) -> None:
        self.session.pause()

    def on_sanity_check_end(self, trainer, pl_module) -> None:
        self.session.resume()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        loss = outputs.get("loss") if isinstance(outputs, dict) else outputs
        value = number(loss)
        if value is not None:  # the step's own loss, where capture saw no loss function
            self.session.fill(trainer.global_step, train_loss=value)

    def on_validation_end(self, trainer, pl_module) -> None:
        # the epoch's aggregated values are in callback_metrics once the validation epoch ended
        if trainer.sanity_checking:
            return
        self.session.log(trainer.global_step, **eval_metrics(trainer.callback_metrics))

    def on_test_end(self, trainer, pl_module) -> None:
        # `trainer.test()` after the fit: the test split's metrics (test - val error is data
        # mismatch); kept where the recording is still open (under `traindx run`, or a test
        # before the fit ended)
        self.session.log(trainer.global_step, **eval_metrics(trainer.callback_metrics, TEST_PREFIXES, "test"))

    def on_exception(self, trainer, pl_module, exception) -> None:
        status = "interrupted" if isinstance(exception, KeyboardInterrupt) else "exception"
        self._finish(trainer, status, exit_code=1)

    def on_fit_end(self, trainer, pl_module) -> None:
        self._finish(trainer, "completed")

    def _finish(self, trainer, status: str, exit_code: int | None = None) -> None:
        if not trainer.is_global_zero:
            self.session.end(status, exit_code)
            return
        report = self.session.end(status, exit_code, say=python_logger("lightning.pytorch"))
        if report is not None:
            for logger in trainer.loggers:
                try:
                    logger.log_metrics(metric_counts(report), step=trainer.global_step)
                    logger.save()
                except Exception:
                    pass


def eval_metrics(metrics: dict, prefixes: tuple = EVAL_PREFIXES, split: str = "eval") -> dict:
    """Validation metrics by Lightning's usual names (`val_loss`, `val/acc`, `valid_accuracy`,
    `val_loss_epoch`) as traindx's eval_loss / eval_acc, other validation metrics as they are
    (with `prefixes` ("test",) and split "test": `test_loss` -> test_loss, `test/acc` -> test_acc)."""
    out = {}
    for key, value in metrics.items():
        v = number(value)
        name = str(key).replace("/", "_").removesuffix("_epoch")
        head, _, rest = name.partition("_")
        if v is None or head.lower() not in prefixes or not rest:
            continue
        rest = rest.lower()
        kind = "loss" if rest == "loss" else "acc" if rest in ("acc", "accuracy") else rest
        out.setdefault(f"{split}_{kind}", v)
    return out
