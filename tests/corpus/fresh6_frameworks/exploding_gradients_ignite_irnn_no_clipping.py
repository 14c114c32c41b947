# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence
# forbid: *
# evidence: planted (IRNN, no clipping): grad norm 137 at step 0, 3.8e16 at step 2, NaN from step 3, val mse NaN; control (clip_grad_norm 1.0): val mse 0.074 vs target var 1.12
# control: --control
# native-log: tb
# log-expect: non_finite
# log-allow: exploding_gradients, learning_rate_too_high, non_convergence
"""pytorch-ignite, custom Engine process function: an IRNN (nn.RNN with ReLU, identity-initialised
recurrent matrix, Le et al. 2015) over 60-step sequences, regression of a running-sum target, SGD
with momentum. The IRNN recipe relies on gradient clipping; this script left it out, so gradient
norms blow up through the recurrence and the loss goes to inf/NaN.
--control: torch.nn.utils.clip_grad_norm_(max_norm=1.0) in the process function (nothing else)."""
import os
import sys
import json
import math
import tempfile
import warnings

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Engine, Events
from ignite.handlers.tensorboard_logger import TensorboardLogger
from ignite.utils import manual_seed

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
manual_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="irnn_")
CLIP = 1.0 if "--control" in sys.argv else None
T, H = 60, 64


def make(n, g):
    v = torch.randn(n, T, generator=g)
    w = torch.randn(n, T, generator=g)
    y = (v.sum(1) - 0.5 * w[:, T // 2:].sum(1)) / math.sqrt(T)
    return torch.stack([v, w], -1), y[:, None]


class IRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(2, H, nonlinearity="relu", batch_first=True)
        self.head = nn.Linear(H, 1)
        nn.init.eye_(self.rnn.weight_hh_l0)
        nn.init.normal_(self.rnn.weight_ih_l0, std=0.1)
        nn.init.zeros_(self.rnn.bias_hh_l0)
        nn.init.zeros_(self.rnn.bias_ih_l0)

    def forward(self, x):
        return self.head(self.rnn(x)[0][:, -1])


g = torch.Generator().manual_seed(0)
Xtr, Ytr = make(3000, g)
Xva, Yva = make(500, g)
model = IRNN()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
grad_norms = []


def train_step(engine, batch):
    model.train()
    x, y = batch
    loss = nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    gn = torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP if CLIP else float("inf"))
    grad_norms.append(gn.item())
    opt.step()
    return loss.item()


def eval_step(engine, batch):
    model.eval()
    with torch.no_grad():
        x, y = batch
        return nn.functional.mse_loss(model(x), y).item()


trainer, evaluator = Engine(train_step), Engine(eval_step)
val_history = []


@trainer.on(Events.EPOCH_COMPLETED)
def validate(engine):
    evaluator.run(DataLoader(TensorDataset(Xva, Yva), batch_size=500))
    val_history.append(evaluator.state.output)


tb = TensorboardLogger(log_dir=os.path.join(LOG_DIR, "tb"))
tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED(every=5), tag="training",
                         output_transform=lambda loss: {"mse": loss})
tb.attach_output_handler(evaluator, event_name=Events.EPOCH_COMPLETED, tag="validation",
                         output_transform=lambda out: {"mse": out}, global_step_transform=lambda *_: trainer.state.iteration)
tb.attach_opt_params_handler(trainer, event_name=Events.ITERATION_STARTED(every=5), optimizer=opt)

trainer.run(DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True), max_epochs=3)
tb.close()
finite = [x for x in grad_norms if math.isfinite(x)]
first_bad = next((i for i, x in enumerate(grad_norms) if not math.isfinite(x)), None)
print(f"probe: max finite grad norm {max(finite):.3g}, median {sorted(finite)[len(finite) // 2]:.3g}, "
      f"first non-finite grad norm at step {first_bad}")
print(f"val mse per epoch: {val_history}")
val_mse = val_history[-1]
print("CORPUS_METRIC " + json.dumps({"val_mse": val_mse if math.isfinite(val_mse) else str(val_mse),
                                     "target_var": round(Yva.var().item(), 4),
                                     "max_grad_norm": round(max(finite), 2), "clip": CLIP}))
