"""PyTorch-Ignite: create_supervised_trainer(gradient_accumulation_steps=2) on the digits with a small CNN,
ReduceLROnPlateauScheduler on val loss, EarlyStopping(patience=4) on -val_loss, ModelCheckpoint keeping the best,
and a plain-text log in the format of Ignite's MNIST example ("Training Results - Epoch: N  Avg accuracy: ... Avg loss: ...")."""
# expect:
# allow:
# forbid: *
# evidence: best checkpoint restored: val_acc 0.993, val_loss 0.031, train_loss 0.008 (chance 0.10); val loss falls 0.40 -> ~0.03 over 12 epochs with small noisy bumps
# native-log: ignite_log.txt
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
from torch import nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss
from ignite.handlers import EarlyStopping, ModelCheckpoint, ReduceLROnPlateauScheduler
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
CKPT = tempfile.mkdtemp()
X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).reshape(-1, 1, 8, 8).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(Xtr), torch.tensor(ytr)), batch_size=16, shuffle=True)
tdl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(Xtr), torch.tensor(ytr)), batch_size=512)
vdl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(Xva), torch.tensor(yva)), batch_size=512)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Dropout(0.3), nn.Linear(32 * 16, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
crit = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, opt, crit, gradient_accumulation_steps=2)
mk = lambda: create_supervised_evaluator(model, metrics={"accuracy": Accuracy(), "loss": Loss(crit)})
train_ev, val_ev = mk(), mk()
sched = ReduceLROnPlateauScheduler(opt, metric_name="loss", trainer=trainer, mode="min", factor=0.3, patience=1)
val_ev.add_event_handler(Events.COMPLETED, sched)
score = lambda e: -e.state.metrics["loss"]
val_ev.add_event_handler(Events.COMPLETED, EarlyStopping(patience=4, score_function=score, trainer=trainer))
ckpt = ModelCheckpoint(CKPT, "best", n_saved=1, score_function=score, score_name="neg_val_loss", require_empty=False)
val_ev.add_event_handler(Events.COMPLETED, ckpt, {"model": model})
log = open(os.path.join(LOG_DIR, "ignite_log.txt"), "w")


@trainer.on(Events.ITERATION_COMPLETED(every=20))
def log_iter(engine):
    log.write(f"Epoch[{engine.state.epoch}] Iteration[{engine.state.iteration}] Loss: {engine.state.output:.4f} lr: {opt.param_groups[0]['lr']:.6f}\n")


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    train_ev.run(tdl); m = train_ev.state.metrics
    log.write(f"Training Results - Epoch: {engine.state.epoch}  Avg accuracy: {m['accuracy']:.4f} Avg loss: {m['loss']:.4f}\n")
    val_ev.run(vdl); m = val_ev.state.metrics
    log.write(f"Validation Results - Epoch: {engine.state.epoch}  Avg accuracy: {m['accuracy']:.4f} Avg loss: {m['loss']:.4f}\n")
    log.flush()


trainer.run(dl, max_epochs=12)
log.close()
model.load_state_dict(torch.load(ckpt.last_checkpoint))
val_ev.run(vdl); train_ev.run(tdl)
print(f"stopped after epoch {trainer.state.epoch}; best checkpoint {os.path.basename(ckpt.last_checkpoint)}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_ev.state.metrics["loss"], 4), "val_acc": round(val_ev.state.metrics["accuracy"], 4),
                                     "train_loss": round(train_ev.state.metrics["loss"], 4), "epochs_run": trainer.state.epoch, "chance_acc": 0.1}))
