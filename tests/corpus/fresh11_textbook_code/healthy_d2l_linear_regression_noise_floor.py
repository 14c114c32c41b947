# expect:
# allow:
# forbid: *
# evidence: val MSE 9.28e-05 = the noise variance 1e-4 (train 9.22e-05), target variance 15.6 (R2 0.99999); error in w (-5.7e-4, 4.4e-5), in b 4e-4; gradient norm 6.8e-3 at the end -- loss flat at the noise floor from epoch ~2 on because the model is converged
# native-log: board.csv
# log-expect:
# log-allow:
"""Dive into Deep Learning style, chapter "Concise Implementation of Linear Regression": d2l's
SyntheticRegressionData(w=[2, -3.4], b=4.2, noise=0.01), a LinearRegression(d2l.Module) with
nn.LazyLinear(1) initialised normal(0, 0.01), nn.MSELoss, minibatch SGD lr=0.03, run with the tiny
d2l Trainer (re-implemented here, ProgressBoard printed and saved as a csv) for many more epochs
than needed: the loss sits at the noise floor (~1e-4) and the gradients are ~1e-3 for most of
the run, which is what a converged regression looks like. Ends with d2l's
"error in estimating w / b" printout."""
import os, sys, json, random, tempfile
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

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

class SyntheticRegressionData(DataModule):
    """Synthetic data for linear regression (d2l)."""
    def __init__(self, w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = torch.randn(n, len(w))
        noise = torch.randn(n, 1) * noise
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + noise
    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)

class LinearRegression(Module):
    """The linear regression model implemented with high-level APIs."""
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)
        self.net(torch.zeros(1, 2))            # materialise the lazy layer before init
        self.net.weight.data.normal_(0, 0.01)
        self.net.bias.data.fill_(0)
    def forward(self, X):
        return self.net(X)
    def loss(self, y_hat, y):
        fn = nn.MSELoss()
        return fn(y_hat, y)
    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), self.lr)
    def get_w_b(self):
        return (self.net.weight.data, self.net.bias.data)

model = LinearRegression(lr=0.03)
data = SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
trainer = Trainer(max_epochs=40, board=ProgressBoard(csv_path=os.path.join(LOG_DIR, 'board.csv')))
trainer.print_every = 4
trainer.fit(model, data)

w, b = model.get_w_b()
print(f'error in estimating w: {data.w - w.reshape(data.w.shape)}')
print(f'error in estimating b: {data.b - b}')
# gradient size of the converged model on one training batch
Xb, yb = next(iter(data.train_dataloader()))
model.zero_grad(); model.loss(model(Xb), yb).backward()
gnorm = torch.sqrt(sum((p.grad ** 2).sum() for p in model.parameters())).item()
print(f'gradient norm at the end: {gnorm:.2e}')
with torch.no_grad():
    Xtr, ytr = data.X[:data.num_train], data.y[:data.num_train]
    Xva, yva = data.X[data.num_train:], data.y[data.num_train:]
    tr_mse = F.mse_loss(model(Xtr), ytr).item(); va_mse = F.mse_loss(model(Xva), yva).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(va_mse, 7), "train_mse": round(tr_mse, 7), "target_var": round(yva.var().item(), 4),
      "noise_var": 1e-4, "val_r2": round(1 - va_mse / yva.var().item(), 6)}))
