# expect:
# allow:
# forbid: *
# evidence: 80 epochs SGD lr 0.5: train loss 0.0065 (train acc 1.00) while val loss stays flat at its best (best 0.0407 at epoch 78, final 0.0407 on the board) and val acc 0.985 (chance 0.1)
# native-log: d2l_board.csv
# log-expect:
# log-allow:
"""Dive into Deep Learning style: a tiny re-implementation of d2l's HyperParameters / ProgressBoard /
Module / Classifier / DataModule / Trainer (printed instead of plotted), and an MLP (d2l's
MLP(num_outputs, num_hiddens, lr) built from nn.LazyLinear) trained on the 8x8 digits for a long
time with SGD: the training loss goes to ~0 while the validation loss stays flat near its best and
the validation accuracy stays at ~0.97. The board's points are also written to a long-format csv."""
import os, sys, json, random, tempfile
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from sklearn.datasets import load_digits

random.seed(0); np.random.seed(0); torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# ---------------------------------------------------------------- a tiny d2l (Dive into Deep Learning) framework
import inspect, collections, time

class HyperParameters:
    """The base class of hyperparameters (d2l.HyperParameters)."""
    def save_hyperparameters(self, ignore=[]):
        frame = inspect.currentframe().f_back
        _, _, _, local_vars = inspect.getargvalues(frame)
        self.hparams = {k: v for k, v in local_vars.items()
                        if k not in set(ignore + ['self']) and not k.startswith('_')}
        for k, v in self.hparams.items():
            setattr(self, k, v)

class ProgressBoard(HyperParameters):
    """d2l's animated plot, printed instead of drawn: points are averaged every `every` calls
    (as d2l does), printed once per epoch and appended to an optional long-format csv."""
    def __init__(self, xlabel='epoch', every=1, csv_path=None):
        self.save_hyperparameters()
        self.raw_points = collections.OrderedDict()
        self.data = collections.OrderedDict()
        self.csv = open(csv_path, 'w') if csv_path else None
        if self.csv:
            self.csv.write('label,x,y\n')
    def draw(self, x, y, label, every=1):
        Point = collections.namedtuple('Point', ['x', 'y'])
        if label not in self.raw_points:
            self.raw_points[label] = []
            self.data[label] = []
        points = self.raw_points[label]
        points.append(Point(x, y))
        if len(points) != every:
            return
        mean = lambda x: sum(x) / len(x)
        p = Point(mean([p.x for p in points]), mean([p.y for p in points]))
        self.data[label].append(p)
        if self.csv:
            self.csv.write(f'{label},{p.x:.4f},{p.y:.6f}\n'); self.csv.flush()
        points.clear()
    def show(self, epoch):
        parts = []
        for label, pts in self.data.items():
            if pts:
                parts.append(f'{label} {pts[-1].y:.4g}')
        print(f'epoch {epoch + 1}: ' + ', '.join(parts))

class Module(nn.Module, HyperParameters):
    """The base class of models (d2l.Module)."""
    def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
        super().__init__()
        self.save_hyperparameters()
        self.board = None
    def loss(self, y_hat, y):
        raise NotImplementedError
    def forward(self, X):
        assert hasattr(self, 'net'), 'Neural network is defined'
        return self.net(X)
    def plot(self, key, value, train):
        assert hasattr(self, 'trainer'), 'Trainer is not inited'
        if train:
            x = self.trainer.train_batch_idx / self.trainer.num_train_batches
            n = self.trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = self.trainer.epoch + 1
            n = self.trainer.num_val_batches / self.plot_valid_per_epoch
        self.board.draw(x, value.item() if torch.is_tensor(value) else value,
                        ('train_' if train else 'val_') + key, every=int(n))
    def training_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot('loss', l, train=True)
        return l
    def validation_step(self, batch):
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot('loss', l, train=False)
    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)

class Classifier(Module):
    """The base class of classification models (d2l.Classifier)."""
    def validation_step(self, batch):
        Y_hat = self(*batch[:-1])
        self.plot('loss', self.loss(Y_hat, batch[-1]), train=False)
        self.plot('acc', self.accuracy(Y_hat, batch[-1]), train=False)
    def accuracy(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        preds = Y_hat.argmax(axis=1).type(Y.dtype)
        compare = (preds == Y.reshape(-1)).type(torch.float32)
        return compare.mean() if averaged else compare
    def loss(self, Y_hat, Y, averaged=True):
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        Y = Y.reshape((-1,))
        return F.cross_entropy(Y_hat, Y, reduction='mean' if averaged else 'none')

class DataModule(HyperParameters):
    """The base class of data (d2l.DataModule)."""
    def get_dataloader(self, train):
        raise NotImplementedError
    def train_dataloader(self):
        return self.get_dataloader(train=True)
    def val_dataloader(self):
        return self.get_dataloader(train=False)
    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        tensors = tuple(a[indices] for a in tensors)
        dataset = torch.utils.data.TensorDataset(*tensors)
        return torch.utils.data.DataLoader(dataset, self.batch_size, shuffle=train)

class Trainer(HyperParameters):
    """The base class for training models with data (d2l.Trainer)."""
    def __init__(self, max_epochs, num_gpus=0, gradient_clip_val=0, board=None):
        self.save_hyperparameters()
    def prepare_data(self, data):
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = (len(self.val_dataloader) if self.val_dataloader is not None else 0)
    def prepare_model(self, model):
        model.trainer = self
        model.board = self.board or ProgressBoard()
        self.model = model
    def fit(self, model, data):
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        for self.epoch in range(self.max_epochs):
            self.fit_epoch()
    def prepare_batch(self, batch):
        return batch
    def fit_epoch(self):
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            with torch.no_grad():
                loss.backward()
                if self.gradient_clip_val > 0:
                    self.clip_gradients(self.gradient_clip_val, self.model)
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with torch.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1
        if (self.epoch + 1) % getattr(self, 'print_every', 1) == 0 or self.epoch == self.max_epochs - 1:
            self.model.board.show(self.epoch)
    def clip_gradients(self, grad_clip_val, model):
        params = [p for p in model.parameters() if p.requires_grad]
        norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
        if norm > grad_clip_val:
            for param in params:
                param.grad[:] *= grad_clip_val / norm
# ---------------------------------------------------------------- end of the tiny d2l framework

class Digits(DataModule):
    """The 8x8 digits as a stand-in for d2l.FashionMNIST (pixels scaled to [0, 1])."""
    def __init__(self, batch_size=64, num_train=1400):
        super().__init__()
        self.save_hyperparameters()
        X, y = load_digits(return_X_y=True)
        perm = np.random.RandomState(0).permutation(len(y))
        self.X = torch.tensor(X[perm] / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
        self.y = torch.tensor(y[perm], dtype=torch.long)
    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)

class MLP(Classifier):
    def __init__(self, num_outputs, num_hiddens, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_hiddens), nn.ReLU(), nn.LazyLinear(num_outputs))

model = MLP(num_outputs=10, num_hiddens=256, lr=0.5)
data = Digits(batch_size=64)
trainer = Trainer(max_epochs=80, board=ProgressBoard(csv_path=os.path.join(LOG_DIR, 'd2l_board.csv')))
trainer.print_every = 10
trainer.fit(model, data)

model.eval()
with torch.no_grad():
    Xtr, ytr = data.X[:data.num_train], data.y[:data.num_train]
    Xva, yva = data.X[data.num_train:], data.y[data.num_train:]
    tl = model.loss(model(Xtr), ytr).item(); ta = model.accuracy(model(Xtr), ytr).item()
    vl = model.loss(model(Xva), yva).item(); va = model.accuracy(model(Xva), yva).item()
vals = [p.y for p in model.board.data['val_loss']]
print(f"val loss: best {min(vals):.4f} at epoch {int(np.argmin(vals)) + 1}, final {vals[-1]:.4f}; train loss final {tl:.5f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 5),
      "train_acc": round(ta, 4), "best_val_loss": round(min(vals), 4), "chance_acc": 0.1}))
