# expect: dead_units
# allow: non_convergence, vanishing_gradients, poor_initialization, high_bias
# forbid: *
# evidence: planted bias -6: 100% of hidden ReLUs never fire on validation data (both layers), val_loss 1.793 ~ ln 6 = 1.792, val_acc 0.150 (chance 0.167); control bias 0: 0% / 4% dead, val_loss 0.105, val_acc 0.962
# control: --control
# native-log: train_log.jsonl
# log-expect: non_convergence
# log-allow: high_bias, dead_units
"""Hidden layers initialised with a large negative bias (-6): nearly every ReLU is off for every
input, so almost no gradient reaches the hidden weights. --control uses zero biases."""
import json
import os
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from ignite.engine import Engine, Events
from ignite.metrics import Accuracy, Loss

torch.set_num_threads(1)
torch.manual_seed(12)
BIAS_INIT = 0.0 if "--control" in sys.argv else -6.0

gen = torch.Generator().manual_seed(12)
centres = torch.randn(6, 10, generator=gen) * 1.5
y = torch.randint(0, 6, (3000,), generator=gen)
x = centres[y] + torch.randn(3000, 10, generator=gen)
x_train, y_train, x_val, y_val = x[:2400], y[:2400], x[2400:], y[2400:]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.h1 = nn.Linear(10, 128)
        self.h2 = nn.Linear(128, 128)
        self.out = nn.Linear(128, 6)
        for layer in (self.h1, self.h2):
            nn.init.constant_(layer.bias, BIAS_INIT)

    def forward(self, inp, return_hidden=False):
        a1 = F.relu(self.h1(inp))
        a2 = F.relu(self.h2(a1))
        return (self.out(a2), (a1, a2)) if return_hidden else self.out(a2)


net = Net()
optim = torch.optim.Adam(net.parameters(), lr=1e-3)


def train_fn(engine, batch):
    net.train()
    xb, yb = batch
    optim.zero_grad()
    loss = F.cross_entropy(net(xb), yb)
    loss.backward()
    optim.step()
    return loss.item()


def eval_fn(engine, batch):
    net.eval()
    with torch.no_grad():
        return net(batch[0]), batch[1]


def loader(xs, ys, bs, shuffle=False):
    order = torch.randperm(len(xs)) if shuffle else torch.arange(len(xs))
    return [(xs[order[i:i + bs]], ys[order[i:i + bs]]) for i in range(0, len(xs), bs)]


trainer, evaluator = Engine(train_fn), Engine(eval_fn)
Accuracy().attach(evaluator, "val_acc")
Loss(F.cross_entropy).attach(evaluator, "val_loss")
log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "train_log.jsonl")
log = open(log_path, "w")


@trainer.on(Events.ITERATION_COMPLETED(every=4))
def log_loss(engine):
    log.write(json.dumps({"step": engine.state.iteration, "train_loss": engine.state.output}) + "\n")


@trainer.on(Events.EPOCH_COMPLETED)
def run_eval(engine):
    evaluator.run(loader(x_val, y_val, 600))
    m = evaluator.state.metrics
    log.write(json.dumps({"step": engine.state.iteration, "epoch": engine.state.epoch,
                          "val_loss": m["val_loss"], "val_acc": m["val_acc"]}) + "\n")
    log.flush()


@trainer.on(Events.EPOCH_STARTED)
def reshuffle(engine):
    engine.state.dataloader[:] = loader(x_train, y_train, 96, shuffle=True)


train_batches = loader(x_train, y_train, 96, shuffle=True)
trainer.run(train_batches, max_epochs=10)
log.close()

with torch.no_grad():
    logits, (a1, a2) = net(x_val, return_hidden=True)
    dead1 = ((a1 > 0).float().mean(0) == 0).float().mean().item()
    dead2 = ((a2 > 0).float().mean(0) == 0).float().mean().item()
    train_loss = F.cross_entropy(net(x_train), y_train).item()
m = evaluator.state.metrics
print(f"dead ReLU fraction: layer1 {dead1:.2f}, layer2 {dead2:.2f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["val_loss"], 4), "val_acc": round(m["val_acc"], 4),
                                     "train_loss": round(train_loss, 4), "dead_frac_h1": round(dead1, 3),
                                     "dead_frac_h2": round(dead2, 3), "chance_acc": round(1 / 6, 4)}))
