# expect:
# allow:
# forbid: *
# evidence: val accuracy 0.62 -> 0.95 over 10 epochs (chance 0.25), val_loss 1.20 -> 0.31, train acc 0.97 / loss 0.23 on an 800-doc train subset; gap stays small
# native-log: ignite_train.log
# log-expect:
# log-allow:
"""Healthy: PyTorch-Ignite with a plain text log written through Python logging in the style of
ignite's MNIST example ("Epoch[2] Iteration[150/47] Loss: 0.41" every 20 iterations and
"Training Results - Epoch: 2  Avg accuracy: 0.91 Avg loss: 0.29" / "Validation Results - ..."
per epoch). Model: EmbeddingBag + linear topic classifier on synthetic 4-topic "news" token bags,
SGD lr 4 (the usual setting for this torchtext-tutorial model) with StepLR gamma 0.5. Nothing planted."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(7)
from ignite.engine import Engine, Events
from ignite.metrics import Accuracy, Loss
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
log = logging.getLogger("train"); log.setLevel(logging.INFO); log.propagate = False
fh = logging.FileHandler(os.path.join(LOGDIR, "ignite_train.log"), mode="w")
fh.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s")); log.addHandler(fh)

rng = np.random.default_rng(7)
V, K, Lmax = 2000, 4, 40
topic_words = [rng.choice(V, 60, replace=False) for _ in range(K)]
def make(n):
    docs, ys = [], []
    for _ in range(n):
        y = rng.integers(0, K); L = rng.integers(10, Lmax)
        nt = rng.binomial(L, 0.25)
        w = np.concatenate([rng.choice(topic_words[y], nt), rng.integers(0, V, L - nt)])
        docs.append(torch.tensor(w)); ys.append(y)
    return docs, torch.tensor(ys)
def collate(b):
    docs, ys = zip(*b)
    off = torch.tensor([0] + [len(d) for d in docs[:-1]]).cumsum(0)
    return (torch.cat(docs), off), torch.stack(ys)
class DS(torch.utils.data.Dataset):
    def __init__(self, d, y): self.d, self.y = d, y
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return self.d[i], self.y[i]
dtr, ytr = make(3000); dva, yva = make(800)
tr = torch.utils.data.DataLoader(DS(dtr, ytr), batch_size=64, shuffle=True, collate_fn=collate)
tr_eval = torch.utils.data.DataLoader(DS(dtr[:800], ytr[:800]), batch_size=400, collate_fn=collate)
va = torch.utils.data.DataLoader(DS(dva, yva), batch_size=400, collate_fn=collate)

class TextClf(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(V, 32); self.fc = nn.Linear(32, K)
        self.emb.weight.data.uniform_(-0.5, 0.5); self.fc.weight.data.uniform_(-0.5, 0.5); self.fc.bias.data.zero_()
    def forward(self, x): return self.fc(self.emb(*x))
model = TextClf()
opt = torch.optim.SGD(model.parameters(), lr=4.0)
sched = torch.optim.lr_scheduler.StepLR(opt, 1, gamma=0.7)

def step(engine, batch):
    model.train(); x, y = batch
    opt.zero_grad(); loss = F.cross_entropy(model(x), y); loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1); opt.step()
    return loss.item()
def ev_step(engine, batch):
    model.eval()
    with torch.no_grad():
        x, y = batch; return model(x), y
trainer = Engine(step)
evaluator = Engine(ev_step)
Accuracy().attach(evaluator, "accuracy"); Loss(F.cross_entropy).attach(evaluator, "nll")
@trainer.on(Events.ITERATION_COMPLETED(every=20))
def log_it(e):
    log.info("Epoch[{}] Iteration[{}/{}] Loss: {:.4f} lr: {:.4f}".format(e.state.epoch, e.state.iteration, len(tr), e.state.output, opt.param_groups[0]["lr"]))
@trainer.on(Events.EPOCH_COMPLETED)
def log_ep(e):
    for name, loader in (("Training", tr_eval), ("Validation", va)):
        m = evaluator.run(loader).metrics
        log.info("{} Results - Epoch: {}  Avg accuracy: {:.4f} Avg loss: {:.4f}".format(name, e.state.epoch, m["accuracy"], m["nll"]))
    sched.step()
trainer.run(tr, max_epochs=10)
mt = dict(evaluator.run(tr_eval).metrics); mv = dict(evaluator.run(va).metrics)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(mv["nll"], 4), "val_acc": round(mv["accuracy"], 4), "train_loss": round(mt["nll"], 4), "chance_acc": 0.25}))
