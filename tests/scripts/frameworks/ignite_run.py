"""Ignite's supervised trainer and evaluator with SGD, logged as Ignite's examples do:
TensorboardLogger, training loss at the iteration, validation metrics at the epoch."""
import torch
import torch.nn.functional as F
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers.tensorboard_logger import TensorboardLogger, global_step_from_engine
from ignite.metrics import Accuracy, Loss
from torch.utils.data import DataLoader, TensorDataset

from _data import args, data, mlp

a = args()
xt, yt, xv, yv = data()
model = mlp()
opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9)
trainer = create_supervised_trainer(model, opt, F.cross_entropy)
evaluator = create_supervised_evaluator(model, metrics={"accuracy": Accuracy(), "loss": Loss(F.cross_entropy)})
val_loader = DataLoader(TensorDataset(xv, yv), batch_size=100)
trainer.add_event_handler(Events.EPOCH_COMPLETED, lambda e: evaluator.run(val_loader))
if a.callback:
    from traindx.integrations.ignite import attach
    attach(trainer, model, evaluators={"val": evaluator}, out=a.callback)
tb = TensorboardLogger(log_dir=a.logs)
tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED(every=5), tag="training",
                         output_transform=lambda loss: {"batchloss": loss})
tb.attach_output_handler(evaluator, event_name=Events.EPOCH_COMPLETED, tag="validation",
                         metric_names=["loss", "accuracy"], global_step_transform=global_step_from_engine(trainer))
trainer.run(DataLoader(TensorDataset(xt, yt), batch_size=32, shuffle=True), max_epochs=4)
tb.close()
