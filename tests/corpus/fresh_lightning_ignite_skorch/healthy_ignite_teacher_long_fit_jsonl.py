# expect:
# allow:
# forbid: *
# evidence: noise-free teacher labels (3 classes, chance 0.41), 8000 train; Adam 2e-3, 20 epochs -> train_loss 0.019, val_acc 0.979 (= best of the run), val_loss 0.058 (min 0.054 at epoch 17): train loss keeps falling while val stays at its best
# native-log: train_log.jsonl
# log-expect:
# log-allow:
"""Student MLP learning a fixed random teacher network (noise-free labels), trained with
pytorch-ignite's create_supervised_trainer for 20 epochs. Train loss goes towards 0; because the
labels are noise-free and the train set is large, the validation metrics stay at their best.
Every 20 iterations the RunningAverage loss is appended to a JSONL file; after every epoch
the evaluator's metrics on train and validation too. Checkpoint keeps the 2 best by val acc."""
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import Checkpoint, DiskSaver, global_step_from_engine
from ignite.metrics import Accuracy, Loss, RunningAverage
from ignite.utils import manual_seed

torch.set_num_threads(1)
manual_seed(2024)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="teacher_")
LOG_PATH = os.path.join(LOG_DIR, "train_log.jsonl")
D, K = 12, 3


def teacher_data(n_train=8000, n_val=1000):
    g = torch.Generator().manual_seed(77)
    teacher = nn.Sequential(nn.Linear(D, 8), nn.Tanh(), nn.Linear(8, K))
    with torch.no_grad():
        for p in teacher.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.6)
        x = torch.randn(3 * (n_train + n_val), D, generator=g)
        logits = teacher(x)
        logits = logits - logits.mean(0)                 # roughly balanced classes
        top2 = logits.topk(2, dim=1).values
        keep = (top2[:, 0] - top2[:, 1]) > 0.15           # drop points right on the teacher's boundary
        x, y = x[keep][: n_train + n_val], logits[keep][: n_train + n_val].argmax(1)
    return TensorDataset(x[:n_train], y[:n_train]), TensorDataset(x[n_train:], y[n_train:])


def main():
    train_ds, val_ds = teacher_data()
    train_loader = DataLoader(train_ds, batch_size=128, shuffle=True)
    train_eval_loader = DataLoader(train_ds, batch_size=1000)
    val_loader = DataLoader(val_ds, batch_size=1000)

    model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, K))
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    criterion = nn.CrossEntropyLoss()

    trainer = create_supervised_trainer(model, optimizer, criterion)
    RunningAverage(output_transform=lambda loss: loss, alpha=0.95).attach(trainer, "loss_avg")
    metrics = {"acc": Accuracy(), "loss": Loss(criterion)}
    train_evaluator = create_supervised_evaluator(model, metrics=metrics)
    val_evaluator = create_supervised_evaluator(model, metrics=metrics)

    log_file = open(LOG_PATH, "w")
    history_val_acc = []

    def write(record):
        log_file.write(json.dumps(record) + "\n")
        log_file.flush()

    @trainer.on(Events.ITERATION_COMPLETED(every=20))
    def log_iteration(engine):
        write({"iteration": engine.state.iteration, "epoch": engine.state.epoch,
               "train_loss": engine.state.output, "train_loss_avg": engine.state.metrics["loss_avg"],
               "lr": optimizer.param_groups[0]["lr"]})

    @trainer.on(Events.EPOCH_COMPLETED)
    def evaluate(engine):
        train_evaluator.run(train_eval_loader)
        val_evaluator.run(val_loader)
        tm, vm = train_evaluator.state.metrics, val_evaluator.state.metrics
        history_val_acc.append(vm["acc"])
        write({"iteration": engine.state.iteration, "epoch": engine.state.epoch,
               "train_eval_loss": tm["loss"], "train_eval_acc": tm["acc"],
               "val_loss": vm["loss"], "val_acc": vm["acc"]})

    saver = DiskSaver(os.path.join(LOG_DIR, "checkpoints"), require_empty=False)
    best = Checkpoint({"model": model}, saver, n_saved=2, filename_prefix="best",
                      score_function=lambda e: e.state.metrics["acc"], score_name="val_acc",
                      global_step_transform=global_step_from_engine(trainer))
    val_evaluator.add_event_handler(Events.COMPLETED, best)

    trainer.run(train_loader, max_epochs=20)
    log_file.close()

    train_evaluator.run(train_eval_loader)
    val_evaluator.run(val_loader)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(val_evaluator.state.metrics["loss"], 4),
        "val_acc": round(val_evaluator.state.metrics["acc"], 4),
        "train_loss": round(train_evaluator.state.metrics["loss"], 5),
        "train_acc": round(train_evaluator.state.metrics["acc"], 4),
        "best_val_acc": round(max(history_val_acc), 4),
        "chance_acc": round(max((val_ds.tensors[1] == k).float().mean().item() for k in range(K)), 4),
    }))


if __name__ == "__main__":
    main()
