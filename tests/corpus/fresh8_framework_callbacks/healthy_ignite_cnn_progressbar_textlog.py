# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.96 (chance 0.33), val_loss 0.16, train_loss 0.14
# native-log: ignite_run.log
# log-expect:
# log-allow:
# Ignite with its own handlers: ProgressBar (to stderr), ignite's setup_logger writing a text log
# file, CosineAnnealingScheduler param scheduler, evaluator metrics logged each epoch. The text log is
# the native log. Tiny 1-D CNN on synthetic waveforms (sine / square / sawtooth + noise).
import os, sys, json, math, tempfile, logging
import torch, torch.nn as nn
from ignite.engine import create_supervised_trainer, create_supervised_evaluator, Events
from ignite.metrics import Accuracy, Loss
from ignite.handlers import ProgressBar, CosineAnnealingScheduler
from ignite.utils import setup_logger, manual_seed
torch.set_num_threads(1); manual_seed(31)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(LOGDIR, exist_ok=True)
log = setup_logger("ignite_run", filepath=os.path.join(LOGDIR, "ignite_run.log"), level=logging.INFO, stream=sys.stderr)

def waves(n, seed):
    g = torch.Generator().manual_seed(seed)
    t = torch.linspace(0, 1, 64)
    y = torch.randint(0, 3, (n,), generator=g)
    f = 2 + 4 * torch.rand(n, 1, generator=g); ph = torch.rand(n, 1, generator=g)
    s = torch.sin(2 * math.pi * (f * t + ph))
    x = torch.where(y[:, None] == 0, s, torch.where(y[:, None] == 1, torch.sign(s), 2 * ((f * t + ph) % 1) - 1))
    return (x + 0.5 * torch.randn(n, 64, generator=g))[:, None], y
xtr, ytr = waves(2000, 1); xva, yva = waves(500, 2)
net = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(),
                    nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 3))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(net, opt, loss_fn)
ev = create_supervised_evaluator(net, metrics={"accuracy": Accuracy(), "loss": Loss(loss_fn)})
tr_ev = create_supervised_evaluator(net, metrics={"accuracy": Accuracy(), "loss": Loss(loss_fn)})
EPOCHS, BS = 8, 40
dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=BS, shuffle=True)
trainer.add_event_handler(Events.ITERATION_STARTED, CosineAnnealingScheduler(opt, "lr", 3e-3, 1e-5, cycle_size=EPOCHS * len(dl)))
ProgressBar(persist=False).attach(trainer, output_transform=lambda loss: {"loss": loss})

@trainer.on(Events.ITERATION_COMPLETED(every=10))
def _it(e):
    log.info(f"Epoch {e.state.epoch} iteration {e.state.iteration} train_loss {e.state.output:.4f} lr {opt.param_groups[0]['lr']:.6f}")

@trainer.on(Events.EPOCH_COMPLETED)
def _ep(e):
    ev.run([(xva, yva)]); tr_ev.run([(xtr, ytr)])
    log.info(f"Epoch {e.state.epoch} train_loss {tr_ev.state.metrics['loss']:.4f} train_acc {tr_ev.state.metrics['accuracy']:.4f} "
             f"val_loss {ev.state.metrics['loss']:.4f} val_acc {ev.state.metrics['accuracy']:.4f}")
trainer.run(dl, max_epochs=EPOCHS)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev.state.metrics["loss"], 4), "val_acc": round(ev.state.metrics["accuracy"], 4),
                                     "train_loss": round(tr_ev.state.metrics["loss"], 4), "chance_acc": 0.3333}))
