# expect: exploding_gradients
# allow: non_finite, poor_initialization, non_convergence, learning_rate_too_high, dead_units, high_bias
# forbid: *
# evidence: planted N(0,1) init: first-layer grad norm 666 -> 9.5e4 -> 2.4e16 -> nan in 4 steps, train_loss 2.9e3 -> 8e18 -> nan, final val_acc 0.235 (chance 0.2); control default init: first-layer grad norm 0.016, val_loss 0.306, val_acc 0.870
# control: --control
# native-log: tensorboard
# log-expect: non_finite
# log-allow: non_convergence, learning_rate_too_high, exploding_gradients, high_bias
"""Deep ReLU MLP whose Linear layers are initialised with N(0, 1) weights (someone's
'nn.init.normal_' without a std). Activations and gradients grow ~6x per layer (4 hidden layers).
--control keeps PyTorch's default initialisation."""
import json
import math
import os
import sys
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Engine, Events
from ignite.handlers import global_step_from_engine
from ignite.handlers.tensorboard_logger import OutputHandler, TensorboardLogger
from ignite.metrics import Accuracy, Loss

CONTROL = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(3)

g = torch.Generator().manual_seed(3)
W = torch.randn(16, 5, generator=g)
X = torch.randn(3000, 16, generator=g)
Y = (X @ W + 0.5 * torch.randn(3000, 5, generator=g)).argmax(1)
train_loader = DataLoader(TensorDataset(X[:2400], Y[:2400]), batch_size=80, shuffle=True)
val_loader = DataLoader(TensorDataset(X[2400:], Y[2400:]), batch_size=600)

layers = []
width = 16
for _ in range(4):
    layers += [nn.Linear(width, 64), nn.ReLU()]
    width = 64
layers.append(nn.Linear(64, 5))
model = nn.Sequential(*layers)
if not CONTROL:
    for m in model.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight)     # std=1.0 instead of ~1/sqrt(fan_in)
            nn.init.zeros_(m.bias)

optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
criterion = nn.CrossEntropyLoss()
first_grad_norms = []


def update(engine, batch):
    model.train()
    x, y = batch
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    gn = model[0].weight.grad.norm().item()
    if len(first_grad_norms) < 5:
        first_grad_norms.append(gn)
    optimizer.step()
    return {"loss": loss.item(), "grad_norm_layer0": gn}


def infer(engine, batch):
    model.eval()
    with torch.no_grad():
        x, y = batch
        return model(x), y


trainer = Engine(update)
evaluator = Engine(infer)
Accuracy().attach(evaluator, "accuracy")
Loss(criterion).attach(evaluator, "loss")
trainer.add_event_handler(Events.EPOCH_COMPLETED, lambda e: evaluator.run(val_loader))

tb_logger = TensorboardLogger(log_dir=os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tensorboard"))
tb_logger.attach(trainer, OutputHandler(tag="training", output_transform=lambda o: {"loss": o["loss"]}),
                 Events.ITERATION_COMPLETED)
tb_logger.attach(evaluator, OutputHandler(tag="validation", metric_names=["loss", "accuracy"],
                                          global_step_transform=global_step_from_engine(trainer)),
                 Events.COMPLETED)

trainer.run(train_loader, max_epochs=8)
tb_logger.close()

vm = evaluator.state.metrics
def clean(v):
    return round(v, 4) if math.isfinite(v) else str(v)
print("first-layer grad norm, first steps:", [f"{v:.3g}" for v in first_grad_norms])
print("CORPUS_METRIC " + json.dumps({"val_loss": clean(vm["loss"]), "val_acc": clean(vm["accuracy"]),
                                     "train_loss": clean(trainer.state.output["loss"]),
                                     "grad_norm_layer0_step1": clean(first_grad_norms[0]),
                                     "chance_acc": 0.2}))
