"""pytorch-ignite: deep ReLU MLP for a 6-class tabular task, custom weight-init function.

Planted: `init_weights` sets every hidden bias to -2.0 (the author copied the "negative bias so
gates start closed" trick from a highway-network snippet); with standardised inputs and Kaiming
weights the pre-activations are ~N(-2, ~1.4), so most ReLUs never fire and receive no gradient.
--control initialises the biases to 0.
"""
# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization
# forbid: *
# evidence: control (bias 0) val_acc 0.85, val_loss 0.50; planted (bias -2) loss stuck at 1.79-1.80 (ln 6 = 1.79), val_acc 0.155 (majority 0.20); probe: ReLUs never active on the val set per hidden layer 0.00/0.87/1.00/1.00 planted vs 0.00/0.00/0.02/0.00 control
# control: --control
# native-log: metrics.csv
# log-expect: non_convergence
# log-allow: high_bias
import os
import sys
import csv
import json
import tempfile

import torch
from torch import nn
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(8)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss

CONTROL = "--control" in sys.argv
out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(out, exist_ok=True)

gen = torch.Generator().manual_seed(31)
N, D, K = 4800, 20, 6
y = torch.randint(0, K, (N,), generator=gen)
centres = torch.randn(K, 2, D, generator=gen)            # two sub-populations per class
sub = torch.randint(0, 2, (N,), generator=gen)
X = centres[y, sub] + 1.3 * torch.randn(N, D, generator=gen)
X = (X - X.mean(0)) / X.std(0)
tr, va = slice(0, 4000), slice(4000, N)


class MLP(nn.Module):
    def __init__(self, widths=(D, 128, 128, 128, 128)):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:])])
        self.out = nn.Linear(widths[-1], K)

    def forward(self, x, record=None):
        for i, lin in enumerate(self.hidden):
            x = torch.relu(lin(x))
            if record is not None:
                record.append(x)
        return self.out(x)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, 0.0 if CONTROL else -2.0)


model = MLP()
model.apply(init_weights)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, opt, loss_fn)
evaluator = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "nll": Loss(loss_fn)})
train_loader = DataLoader(TensorDataset(X[tr], y[tr]), batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(X[va], y[va]), batch_size=800)

csv_path = os.path.join(out, "metrics.csv")
writer_f = open(csv_path, "w", newline="")
writer = csv.writer(writer_f)
writer.writerow(["epoch", "train_loss", "val_loss", "val_acc"])


@trainer.on(Events.EPOCH_COMPLETED)
def on_epoch(engine):
    evaluator.run(val_loader)
    m = evaluator.state.metrics
    writer.writerow([engine.state.epoch, f"{engine.state.output:.5f}", f"{m['nll']:.5f}", f"{m['acc']:.4f}"])
    print(f"epoch {engine.state.epoch:2d} loss {engine.state.output:.4f} val_nll {m['nll']:.4f} val_acc {m['acc']:.3f}")


trainer.run(train_loader, max_epochs=10)
writer_f.close()

with torch.no_grad():
    acts = []
    model(X[va], record=acts)
    dead = [float((a.max(0).values <= 0).float().mean()) for a in acts]
print("dead ReLU fraction per hidden layer (never active on val):", [round(d, 3) for d in dead])
m = evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["nll"], 4), "val_acc": round(m["acc"], 4),
                                     "train_loss": round(trainer.state.output, 4),
                                     "chance_acc": round(float(torch.bincount(y[va]).max()) / len(y[va]), 4),
                                     "dead_frac": round(sum(dead) / len(dead), 3)}))
