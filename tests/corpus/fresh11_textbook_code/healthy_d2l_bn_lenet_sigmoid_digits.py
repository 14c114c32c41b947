# expect:
# allow:
# forbid: *
# evidence: sigmoid BN-LeNet reaches val acc 0.975, val loss 0.124 (train 0.088 eval mode, chance 0.1); in epochs 3-12 the val loss (0.54-0.97) lags far behind the train loss (BN running statistics still moving at lr 0.3), then it settles at 0.116 by epoch 20; at most 0.3% of sigmoid outputs within 0.01 of 0 or 1
# native-log: d2l_board.csv
# log-expect:
# log-allow:
"""Dive into Deep Learning style, chapter "Batch Normalization": the concise BNLeNet with SIGMOID
activations (as in d2l: Conv -> BatchNorm2d -> Sigmoid -> AvgPool ... LazyLinear(120) ->
BatchNorm1d -> Sigmoid ...), d2l's init_cnn (Xavier uniform), SGD lr=0.1, trained on the 8x8
digits (LeNet shrunk to 8x8 inputs: 3x3 convs with padding) by the tiny re-implemented d2l Trainer,
with the board also written to a long-format csv. Sigmoid everywhere, but batch norm keeps the
pre-activations centred, so it trains fine."""
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
    def __init__(self, batch_size=128, num_train=1400):
        super().__init__()
        self.save_hyperparameters()
        X, y = load_digits(return_X_y=True)
        perm = np.random.RandomState(3).permutation(len(y))
        self.X = torch.tensor(X[perm] / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
        self.y = torch.tensor(y[perm], dtype=torch.long)
    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)

def init_cnn(module):
    """Initialize weights for CNNs (d2l)."""
    if type(module) == nn.Linear or type(module) == nn.Conv2d:
        nn.init.xavier_uniform_(module.weight)

class BNLeNet(Classifier):
    def __init__(self, lr=0.1, num_classes=10):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.LazyConv2d(6, kernel_size=3, padding=1), nn.LazyBatchNorm2d(),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.LazyConv2d(16, kernel_size=3, padding=1), nn.LazyBatchNorm2d(),
            nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(), nn.LazyLinear(120), nn.LazyBatchNorm1d(),
            nn.Sigmoid(), nn.LazyLinear(84), nn.LazyBatchNorm1d(),
            nn.Sigmoid(), nn.LazyLinear(num_classes))
    def apply_init(self, inputs, init=None):
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)

data = Digits(batch_size=64)
model = BNLeNet(lr=0.3)
model.apply_init([next(iter(data.get_dataloader(True)))[0]], init_cnn)
trainer = Trainer(max_epochs=20, board=ProgressBoard(csv_path=os.path.join(LOG_DIR, 'd2l_board.csv')))
trainer.print_every = 3
trainer.fit(model, data)

model.eval()
with torch.no_grad():
    Xtr, ytr = data.X[:data.num_train], data.y[:data.num_train]
    Xva, yva = data.X[data.num_train:], data.y[data.num_train:]
    tl = model.loss(model(Xtr), ytr).item(); ta = model.accuracy(model(Xtr), ytr).item()
    vl = model.loss(model(Xva), yva).item(); va = model.accuracy(model(Xva), yva).item()
    acts, h = [], Xva
    for layer in model.net:
        h = layer(h)
        if isinstance(layer, nn.Sigmoid):
            acts.append(((h < 0.01) | (h > 0.99)).float().mean().item())
print("fraction of sigmoid outputs within 0.01 of 0 or 1, per sigmoid layer:", [round(a, 3) for a in acts])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
      "train_acc": round(ta, 4), "chance_acc": 0.1}))
