"""Hugging Face Transformers: `Trainer(..., callbacks=[TraindxCallback()])`.

Records the training with traindx's recorder (per-layer statistics from the Trainer's model and
torch optimiser; a step is an optimiser step, so gradient accumulation's micro-batches are one
step, their losses averaged), takes the evaluation metrics the Trainer logs (`eval_loss`,
`eval_accuracy`, ...) at `state.global_step`, uses the Trainer's own `loss` and `grad_norm`
(the norm before clipping) only where capture measured none, prints the diagnosis when training
ends, and logs the findings to transformers' logger."""
from __future__ import annotations

from pathlib import Path

from transformers import TrainerCallback
from transformers.utils import logging as hf_logging

from ._session import Session, number

TRAIN_KEYS = {"loss": "train_loss", "grad_norm": "grad_norm_preclip", "learning_rate": "lr"}
SKIP = ("epoch", "total_flos", "train_loss", "step")
TIMINGS = ("_runtime", "_samples_per_second", "_steps_per_second")


class TraindxCallback(TrainerCallback):
    def __init__(self, out: str | Path = "runs/transformers", every: int | None = None, report: bool = True,
                 stop_on: str | None = None):
        self._traindx = True  # `traindx run` adds none of its own when the script added this one
        self.session = Session("transformers", out=out, every=every, report=report, stop_on=stop_on)

    @property
    def report(self):
        """The diagnosis of the last training: Report(run, diagnosis, plan), or None."""
        return self.session.report

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        self.session.begin(model, learning_rate=args.learning_rate, max_grad_norm=args.max_grad_norm,
                           gradient_accumulation_steps=args.gradient_accumulation_steps,
                           per_device_train_batch_size=args.per_device_train_batch_size,
                           lr_scheduler_type=str(getattr(args.lr_scheduler_type, "value", args.lr_scheduler_type)),
                           warmup_steps=args.warmup_steps, optim=str(getattr(args.optim, "value", args.optim)))

    def on_log(self, args, state, control, logs=None, **kwargs):
        train, evals = split_logs(logs or {})
        self.session.fill(state.global_step, **train)
        self.session.log(state.global_step, **evals)

    def on_train_end(self, args, state, control, **kwargs):
        if state.is_world_process_zero:
            self.session.end("completed", say=hf_logging.get_logger("traindx").warning)
        else:
            self.session.end("completed")


def split_logs(logs: dict) -> tuple[dict, dict]:
    """(train values, evaluation values) of one `on_log` call, in traindx's names: `loss` ->
    train_loss, `grad_norm` -> grad_norm_preclip (HF logs the norm clipping returns: before the
    clip), `eval_accuracy` -> eval_acc, `test_accuracy` -> test_acc (an evaluate() of the test
    split); timings and totals dropped."""
    train, evals = {}, {}
    for key, value in logs.items():
        v = number(value)
        if v is None or key in SKIP or key.endswith(TIMINGS):
            continue
        if key in TRAIN_KEYS:
            train[TRAIN_KEYS[key]] = v
        elif key.startswith(("eval_", "test_")):  # test_: evaluate(test_set, metric_key_prefix="test")
            split, kind = key.split("_", 1)
            evals[f"{split}_acc" if kind in ("accuracy", "acc") else key] = v
    return train, evals
