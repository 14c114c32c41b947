# expect: vanishing_gradients
# allow: saturated_activations, high_bias, non_convergence, learning_rate_too_low, poor_initialization
# forbid: *
# evidence: planted (12 sigmoid layers): first/last layer grad-norm ratio 6.8e-7, val_acc 0.23, val_loss 1.391 (chance 0.26, ln4=1.386); control (ReLU, same He init): ratio 0.79, val_acc 0.47, val_loss 0.83
# control: --control
# native-log: train.log
# log-expect:
# log-allow: high_bias, non_convergence, learning_rate_too_low
# Ignite training of a 12-layer sigmoid MLP (someone swapped ReLU for sigmoid "for smoother
# outputs"). Gradients reaching the first layer are orders of magnitude smaller than those at the
# last layer. --control uses ReLU (same depth, widths, He init, optimiser). The native log is the text
# printed by ignite's own logger / our handlers, captured to train.log.
import os, sys, json, tempfile, logging
import torch
import torch.nn as nn
from ignite.engine import Engine, Events
from ignite.metrics import Accuracy, Loss, RunningAverage
from ignite.utils import setup_logger, manual_seed

torch.set_num_threads(1)
manual_seed(0)
ACT = nn.ReLU if "--control" in sys.argv else nn.Sigmoid
d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(d, exist_ok=True)
logger = setup_logger("trainer", filepath=os.path.join(d, "train.log"), level=logging.INFO, stream=sys.stderr)

g = torch.Generator().manual_seed(0)
X = torch.randn(3000, 16, generator=g); Y = ((X[:, :4].sum(1) > 0).long() + 2 * (X[:, 4] * X[:, 5] > 0).long())
Xv, Yv = X[2400:], Y[2400:]; X, Y = X[:2400], Y[:2400]
layers = []
w = 16
for i in range(12):
    layers += [nn.Linear(w, 64), ACT()]; w = 64
model = nn.Sequential(*layers, nn.Linear(64, 4))
for mod in model:
    if isinstance(mod, nn.Linear):  # He init in both runs (the author's standard init helper)
        nn.init.kaiming_normal_(mod.weight, nonlinearity="relu"); nn.init.zeros_(mod.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
first, last = model[0], model[-1]
grad_hist = []

def update(engine, batch):
    model.train(); x, y = batch
    opt.zero_grad(); loss = nn.functional.cross_entropy(model(x), y); loss.backward()
    grad_hist.append((first.weight.grad.norm().item(), last.weight.grad.norm().item()))
    opt.step()
    return loss.item()
trainer = Engine(update)
RunningAverage(output_transform=lambda o: o).attach(trainer, "loss")
evaluator = Engine(lambda e, b: (model.eval(), (model(b[0]), b[1]))[1])
Accuracy().attach(evaluator, "acc"); Loss(nn.functional.cross_entropy).attach(evaluator, "loss")

@trainer.on(Events.ITERATION_COMPLETED(every=20))
def log_iter(e):
    logger.info(f"Epoch[{e.state.epoch}] Iter[{e.state.iteration}] loss: {e.state.output:.4f} avg_loss: {e.state.metrics['loss']:.4f}")

@trainer.on(Events.EPOCH_COMPLETED)
def log_val(e):
    with torch.no_grad():
        evaluator.run(list(zip(Xv.split(300), Yv.split(300))))
    m = evaluator.state.metrics
    logger.info(f"Validation Results - Epoch: {e.state.epoch}  Avg accuracy: {m['acc']:.4f} Avg loss: {m['loss']:.4f} lr: {opt.param_groups[0]['lr']}")

loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y), batch_size=32, shuffle=True)
trainer.run(loader, max_epochs=10)
early = torch.tensor(grad_hist[:50]).mean(0)
print(f"probe: mean grad norm first layer {early[0]:.2e} vs last layer {early[1]:.2e} (first 50 steps), ratio {early[0]/early[1]:.2e}")
with torch.no_grad():
    tl = nn.functional.cross_entropy(model(X), Y).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(evaluator.state.metrics["loss"], 4), "val_acc": round(evaluator.state.metrics["acc"], 4),
                                     "train_loss": round(tl, 4), "chance_acc": round(torch.bincount(Yv).max().item() / len(Yv), 4),
                                     "grad_ratio_first_last": float(f"{early[0]/early[1]:.3e}")}))
