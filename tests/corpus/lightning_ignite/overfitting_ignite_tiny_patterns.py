# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (60 train images): train_loss 9e-05, val_loss best 2.180 (epoch 10) then climbs to 3.706, val_acc 0.285; control (2000 images, same 200 steps): val_loss 0.503 (still falling), val_acc 0.839 (chance 0.1)
# control: --control
# native-log: tb_overfit
# log-expect: overfitting
# log-allow: high_variance
"""Noisy 8x8 'glyph' images (10 prototypes + heavy pixel noise + random shifts). A 2x512 MLP is
trained full-batch for 200 epochs on only 60 images. --control trains the same model for the
same 200 optimizer steps on 2000 images (mini-batches of 60)."""
import json
import os
import sys
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import global_step_from_engine
from ignite.handlers.tensorboard_logger import OutputHandler, TensorboardLogger
from ignite.metrics import Accuracy, Loss

torch.set_num_threads(1)
torch.manual_seed(2024)
CONTROL = "--control" in sys.argv
N_TRAIN = 2000 if CONTROL else 60
STEPS = 200

gen = torch.Generator().manual_seed(2024)
prototypes = (torch.rand(10, 8, 8, generator=gen) > 0.6).float()


def glyphs(n):
    y = torch.randint(0, 10, (n,), generator=gen)
    img = prototypes[y]
    shifts = torch.randint(-1, 2, (n, 2), generator=gen)
    img = torch.stack([torch.roll(im, (int(s[0]), int(s[1])), (0, 1)) for im, s in zip(img, shifts)])
    img = img + 0.6 * torch.randn(n, 8, 8, generator=gen)
    return img.view(n, 64), y


x_tr, y_tr = glyphs(N_TRAIN)
x_va, y_va = glyphs(1000)

model = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, optimizer, criterion)
evaluator = create_supervised_evaluator(model, metrics={"loss": Loss(criterion), "accuracy": Accuracy()})

bs = 60
steps_per_epoch = N_TRAIN // bs
epochs = STEPS // steps_per_epoch
train_loader = DataLoader(TensorDataset(x_tr, y_tr), batch_size=bs, shuffle=True, drop_last=True)
val_loader = DataLoader(TensorDataset(x_va, y_va), batch_size=1000)
every = max(1, epochs // 40)


@trainer.on(Events.EPOCH_COMPLETED(every=every))
def validate(engine):
    evaluator.run(val_loader)


tb = TensorboardLogger(log_dir=os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb_overfit"))
tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED, tag="train",
                         output_transform=lambda loss: {"loss": loss})
tb.attach_output_handler(evaluator, event_name=Events.COMPLETED, tag="val", metric_names=["loss", "accuracy"],
                         global_step_transform=global_step_from_engine(trainer, Events.ITERATION_COMPLETED))

history = []
evaluator.add_event_handler(Events.COMPLETED, lambda e: history.append(e.state.metrics["loss"]))
trainer.run(train_loader, max_epochs=epochs)
tb.close()

with torch.no_grad():
    model.eval()
    train_loss = criterion(model(x_tr), y_tr).item()
vm = evaluator.state.metrics
print(f"val loss: best {min(history):.4f} at eval {history.index(min(history)) + 1}/{len(history)}, final {history[-1]:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vm["loss"], 4), "val_acc": round(vm["accuracy"], 4),
                                     "train_loss": round(train_loss, 5), "best_val_loss": round(min(history), 4),
                                     "chance_acc": 0.1, "n_train": N_TRAIN}))
