# expect:
# allow:
# forbid: *
# evidence: one-cycle to lr_max 0.1: valid loss 0.388 -> 0.182 -> bumps to 0.363 at the peak lr (epoch 2, accuracy 0.897) -> 0.038 at the end; final valid accuracy 0.987 (chance 0.1), train loss 0.006
# native-log: history.csv
# log-expect:
# log-allow:
"""fast.ai course style, with a hand-written Learner (no fastai package): callbacks with an `order`,
TrainEvalCallback, Recorder, ProgressCallback printing fastai's results table
(epoch / train_loss / valid_loss / accuracy / time), CSVLogger writing history.csv, ParamScheduler and
fit_one_cycle(n_epoch, lr_max) written out by hand (cosine warm-up over pct_start=0.25 from
lr_max/25 to lr_max, cosine annealing to lr_max/1e5, momentum 0.95 -> 0.85 -> 0.95 on Adam's beta1,
decoupled weight decay 0.01). A small conv net on the 8x8 digits with a high lr_max: the loss
bumps up around the peak learning rate and then comes down to a good result."""
import os, sys, json, random, tempfile
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.manual_seed(42); np.random.seed(42); random.seed(42)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# ---------------------------------------------------------------- a hand-written fast.ai-like Learner (no fastai package)
import math, time
from functools import partial

def noop(*a, **k): return None

class Callback:
    order = 0
    def __call__(self, event_name):
        getattr(self, event_name, noop)()
    def __getattr__(self, k):
        # look attributes up on the learner, like fastai's GetAttr
        if k == 'learn':
            raise AttributeError(k)
        return getattr(self.learn, k)

class CancelFitException(Exception): pass

class DataLoaders:
    def __init__(self, train, valid):
        self.train, self.valid = train, valid

def annealer(f):
    def _inner(start, end): return partial(f, start, end)
    return _inner

@annealer
def sched_cos(start, end, pos): return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2

def combine_scheds(pcts, scheds):
    pcts = [0.] + list(torch.cumsum(torch.tensor(pcts), 0).tolist())
    def _inner(pos):
        idx = max(0, min(len(pcts) - 2, int(sum(pos >= p for p in pcts[1:-1]))))
        actual_pos = (pos - pcts[idx]) / max(pcts[idx + 1] - pcts[idx], 1e-12)
        return scheds[idx](min(actual_pos, 1.0))
    return _inner

def combined_cos(pct, start, middle, end):
    return combine_scheds([pct, 1 - pct], [sched_cos(start, middle), sched_cos(middle, end)])

class TrainEvalCallback(Callback):
    order = -10
    def before_fit(self):
        self.learn.train_iter = 0
        self.learn.pct_train = 0.
    def after_batch(self):
        if self.training:
            self.learn.pct_train += 1. / (self.n_iter * self.n_epoch)
            self.learn.train_iter += 1

class ParamScheduler(Callback):
    """Schedules hyper-parameters (lr, mom) over the whole fit, per batch, like fastai."""
    order = 60
    def __init__(self, scheds): self.scheds = scheds
    def before_batch(self):
        if not self.training: return
        for pname, f in self.scheds.items():
            v = f(self.pct_train)
            for g in self.opt.param_groups:
                if pname == 'lr': g['lr'] = v
                elif pname == 'mom':
                    if 'betas' in g: g['betas'] = (v, g['betas'][1])
                    else: g['momentum'] = v

class Recorder(Callback):
    """Records lrs, moms, per-batch losses, and per-epoch [train_loss, valid_loss, metrics...]."""
    order = 50
    def __init__(self, metrics=()): self.metrics = list(metrics)
    def before_fit(self):
        self.lrs, self.losses, self.values = [], [], []
        self.metric_names = ['epoch', 'train_loss', 'valid_loss'] + [m.__name__ for m in self.metrics] + ['time']
    def before_epoch(self):
        self.start_epoch = time.time()
        self.tr_sum, self.tr_n = 0., 0
    def after_batch(self):
        if self.training:
            self.lrs.append(self.opt.param_groups[0]['lr'])
            self.losses.append(self.loss.item())
            self.tr_sum += self.loss.item() * len(self.yb); self.tr_n += len(self.yb)
    def before_validate(self):
        self.preds_all, self.targs_all, self.val_sum, self.val_n = [], [], 0., 0
    def after_batch_valid(self):
        self.preds_all.append(self.preds.detach()); self.targs_all.append(self.yb)
        self.val_sum += self.loss.item() * len(self.yb); self.val_n += len(self.yb)
    def after_epoch(self):
        preds, targs = torch.cat(self.preds_all), torch.cat(self.targs_all)
        vals = [self.tr_sum / self.tr_n, self.val_sum / self.val_n] + [float(m(preds, targs)) for m in self.metrics]
        self.values.append(vals)
        t = time.time() - self.start_epoch
        self.learn.log_row([self.epoch] + vals + [f'{int(t // 60):02d}:{int(t % 60):02d}'])

class ProgressCallback(Callback):
    """Prints fastai's results table."""
    order = 70
    def before_fit(self):
        names = self.recorder.metric_names
        print('  '.join(f'{n:<10}' for n in names))
    def after_epoch(self):
        pass

class CSVLogger(Callback):
    """fastai's CSVLogger: writes the results table to a csv file (history.csv)."""
    order = 60
    def __init__(self, fname='history.csv'): self.fname = fname
    def before_fit(self):
        self.file = open(self.fname, 'w')
        self.file.write(','.join(self.recorder.metric_names) + '\n')
    def after_fit(self):
        self.file.close()

class Learner:
    def __init__(self, dls, model, loss_func, opt_func=partial(torch.optim.Adam, eps=1e-5), lr=1e-3, wd=0.01,
                 metrics=(), cbs=()):
        self.dls, self.model, self.loss_func, self.opt_func, self.lr, self.wd = dls, model, loss_func, opt_func, lr, wd
        self.recorder = Recorder(metrics)
        self.cbs = []
        self.add_cbs([TrainEvalCallback(), self.recorder, ProgressCallback()] + list(cbs))
        self.opt = None
    def add_cbs(self, cbs):
        for cb in cbs:
            cb.learn = self
            self.cbs.append(cb)
    def remove_cbs(self, cbs):
        for cb in cbs: self.cbs.remove(cb)
    def __call__(self, name):
        for cb in sorted(self.cbs, key=lambda c: c.order): cb(name)
    def log_row(self, row):
        cells = [f'{v:<10.6f}' if isinstance(v, float) else f'{str(v):<10}' for v in row]
        print('  '.join(cells))
        for cb in self.cbs:
            if isinstance(cb, CSVLogger):
                cb.file.write(','.join(f'{v:.6f}' if isinstance(v, float) else str(v) for v in row) + '\n'); cb.file.flush()
    def create_opt(self):
        # true weight decay (decoupled), as fastai's Adam with wd does
        self.opt = self.opt_func(self.model.parameters(), lr=self.lr)
    def one_batch(self):
        self('before_batch')
        self.preds = self.model(self.xb)
        self.loss = self.loss_func(self.preds, self.yb)
        if self.training:
            self.loss.backward()
            if self.wd:
                with torch.no_grad():
                    for g in self.opt.param_groups:
                        for p in g['params']:
                            p.mul_(1 - g['lr'] * self.wd)
            self.opt.step()
            self.opt.zero_grad()
            self('after_batch')
        else:
            self('after_batch_valid')
    def one_epoch(self, train):
        self.training = train
        self.model.train(train)
        self.dl = self.dls.train if train else self.dls.valid
        if not train: self('before_validate')
        with torch.set_grad_enabled(train):
            for self.iter, (self.xb, self.yb) in enumerate(self.dl):
                self.one_batch()
    def fit(self, n_epoch, lr=None, cbs=()):
        cbs = list(cbs)
        self.add_cbs(cbs)
        if lr is not None: self.lr = lr
        if self.opt is None: self.create_opt()
        self.n_epoch, self.n_iter = n_epoch, len(self.dls.train)
        try:
            self('before_fit')
            for self.epoch in range(n_epoch):
                self('before_epoch')
                self.one_epoch(True)
                self.one_epoch(False)
                self('after_epoch')
            self('after_fit')
        except CancelFitException:
            pass
        finally:
            self.remove_cbs(cbs)
    def fit_one_cycle(self, n_epoch, lr_max=None, div=25., div_final=1e5, pct_start=0.25, moms=(0.95, 0.85, 0.95), cbs=()):
        lr_max = lr_max or self.lr
        scheds = {'lr': combined_cos(pct_start, lr_max / div, lr_max, lr_max / div_final),
                  'mom': combined_cos(pct_start, *moms)}
        self.fit(n_epoch, cbs=[ParamScheduler(scheds)] + list(cbs))

def accuracy(inp, targ):
    return (inp.argmax(dim=-1) == targ).float().mean()
# ---------------------------------------------------------------- end of the Learner

X, y = load_digits(return_X_y=True)
perm = np.random.RandomState(42).permutation(len(y))
X = torch.tensor(X[perm] / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
y = torch.tensor(y[perm], dtype=torch.long)
X = (X - X[:1400].mean()) / X[:1400].std()
train_ds = torch.utils.data.TensorDataset(X[:1400], y[:1400])
valid_ds = torch.utils.data.TensorDataset(X[1400:], y[1400:])
dls = DataLoaders(torch.utils.data.DataLoader(train_ds, batch_size=64, shuffle=True, drop_last=True),
                  torch.utils.data.DataLoader(valid_ds, batch_size=128))

def conv(ni, nf, ks=3, stride=2, act=True):
    layers = [nn.Conv2d(ni, nf, ks, stride=stride, padding=ks // 2), nn.BatchNorm2d(nf)]
    if act: layers.append(nn.ReLU())
    return nn.Sequential(*layers)

model = nn.Sequential(conv(1, 8, stride=1), conv(8, 16), conv(16, 32), conv(32, 10, act=False), nn.Flatten())  # 8->8->4->2->1

learn = Learner(dls, model, loss_func=F.cross_entropy, metrics=[accuracy],
                cbs=[CSVLogger(os.path.join(LOG_DIR, 'history.csv'))])
learn.fit_one_cycle(10, lr_max=0.1)

vals = learn.recorder.values
model.eval()
with torch.no_grad():
    tl = F.cross_entropy(model(X[:1400]), y[:1400]).item()
    vout = model(X[1400:]); vl = F.cross_entropy(vout, y[1400:]).item(); va = accuracy(vout, y[1400:]).item()
peak = int(np.argmax([v[1] for v in vals[1:5]])) + 1
print(f"valid_loss by epoch: {[round(v[1], 3) for v in vals]}; max lr reached {max(learn.recorder.lrs):.3g}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
      "chance_acc": 0.1, "max_valid_loss_epochs_1_4": round(max(v[1] for v in vals[1:5]), 4)}))
