"""PyTorch Ignite: `traindx.integrations.ignite.attach(trainer, model, evaluators={"val": evaluator})`.

Records the trainer `Engine`'s run with traindx's recorder (the steps are the torch optimiser's),
takes each evaluator's metrics when it completes and puts them on the trainer's iteration axis
(Ignite's own examples log them at the epoch number, which would mix two x-axes), uses the
trainer's output as the train loss where capture measured none, and at the end prints the
diagnosis and logs the findings to the trainer's logger."""
from __future__ import annotations

from pathlib import Path

from ignite.engine import Engine, Events

from ._session import Session, number

LOSS_NAMES = ("loss", "nll", "ce", "cross_entropy", "mse")
ACC_NAMES = ("accuracy", "acc")


def attach(trainer: Engine, model=None, evaluators: dict[str, Engine] | Engine | None = None,
           out: str | Path = "runs/ignite", every: int | None = None, report: bool = True,
           stop_on: str | None = None) -> Session:
    """Hook traindx into `trainer`; returns the Session (`.report` holds the diagnosis after the run).
    `evaluators`: {"val": engine} (or one engine, taken as the validation set); an evaluator named
    "train" (Ignite's train-set evaluation) is logged as train_eval_* so it never replaces the
    per-step train loss."""
    session = Session("ignite", out=out, every=every, report=report, stop_on=stop_on)
    if isinstance(evaluators, Engine):
        evaluators = {"val": evaluators}

    def started(engine):
        session.begin(model, max_epochs=engine.state.max_epochs, epoch_length=engine.state.epoch_length)

    def iteration(engine):
        value = number(_loss_of(engine.state.output))
        if value is not None:
            session.fill(engine.state.iteration, train_loss=value)

    def evaluated(name):
        def handler(evaluator):
            session.log(trainer.state.iteration, **eval_metrics(name, evaluator.state.metrics))
        return handler

    def finished(engine, status="completed"):
        session.end(status, exit_code=None if status == "completed" else 1,
                    say=engine.logger.warning)

    def failed(engine, exc):
        finished(engine, "interrupted" if isinstance(exc, KeyboardInterrupt) else "exception")
        # Ignite re-raises only when no handler is registered for this event: ours must not
        # swallow the error, nor pre-empt a handler of the script's that does
        handlers = engine._event_handlers.get(Events.EXCEPTION_RAISED, [])
        if all(h[0] is failed for h in handlers):
            raise exc

    trainer.add_event_handler(Events.STARTED, started)
    trainer.add_event_handler(Events.ITERATION_COMPLETED, iteration)
    trainer.add_event_handler(Events.COMPLETED, finished)
    trainer.add_event_handler(Events.EXCEPTION_RAISED, failed)
    for name, evaluator in (evaluators or {}).items():
        evaluator.add_event_handler(Events.COMPLETED, evaluated(name))
    return session


def _loss_of(output):
    """The loss in a trainer's output: the number itself (create_supervised_trainer's default),
    or a dict's "loss"."""
    if isinstance(output, dict):
        return output.get("loss")
    return output


def eval_metrics(name: str, metrics: dict) -> dict:
    prefix = "train_eval" if name == "train" else "eval" if name in ("val", "valid", "validation", "eval") \
        else name
    out = {}
    for key, value in metrics.items():
        v = number(value)
        if v is None:
            continue
        kind = "loss" if key.lower() in LOSS_NAMES else "acc" if key.lower() in ACC_NAMES else key
        out.setdefault(f"{prefix}_{kind}", v)
    return out
