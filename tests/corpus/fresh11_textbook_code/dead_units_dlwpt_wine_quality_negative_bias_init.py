# expect: dead_units
# allow: non_convergence, poor_initialization, vanishing_gradients, high_bias
# forbid: *
# evidence: planted (bias -3): 98% of layer-2 ReLUs never fire on the training set at init and on val after training; val acc 0.32, train 0.36, loss 1.099 ~ log(3) (majority 0.35). control (bias 0): 0% dead, val acc 0.757, val loss 0.531
# control: --control
""""Deep Learning with PyTorch" chapter 4/6 style on a wine-quality-like table (11 physico-chemical
columns with wildly different units, standardised as the book does: (data - mean) / sqrt(var)),
quality bucketed into low / medium / high, an nn.Sequential(OrderedDict(...)) ReLU MLP and the
book's training_loop printing '{} Epoch {}, Training loss {}' with datetime. The planted cause: an
init_weights() copied from a "sparse activations" blog post sets every Linear bias to -3.0 (with
Kaiming weights), so nearly every hidden ReLU outputs 0 for every bottle and gets no gradient.
--control initialises the biases to 0, nothing else changes."""
import os, sys, json, random, datetime
from collections import OrderedDict
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

CONTROL = "--control" in sys.argv
torch.manual_seed(5); np.random.seed(5); random.seed(5)
torch.set_num_threads(1)

# synthetic "winequality-white": 11 columns in their natural units
rs = np.random.RandomState(5)
n = 5000
cols = {
    'fixed acidity': rs.normal(6.85, 0.84, n), 'volatile acidity': np.abs(rs.normal(0.28, 0.10, n)),
    'citric acid': np.abs(rs.normal(0.33, 0.12, n)), 'residual sugar': rs.gamma(1.5, 4.2, n),
    'chlorides': np.abs(rs.normal(0.046, 0.022, n)), 'free sulfur dioxide': rs.gamma(4.0, 8.8, n),
    'total sulfur dioxide': rs.normal(138, 42, n), 'density': rs.normal(0.994, 0.003, n),
    'pH': rs.normal(3.19, 0.15, n), 'sulphates': rs.normal(0.49, 0.11, n), 'alcohol': rs.normal(10.5, 1.2, n)}
data = np.stack(list(cols.values()), 1)
z = (data - data.mean(0)) / data.std(0)
score = (0.9 * z[:, 10] - 0.55 * z[:, 1] - 0.35 * z[:, 7] + 0.25 * z[:, 9] - 0.2 * z[:, 4]
         + 0.3 * np.tanh(z[:, 5]) * z[:, 6] * -1 + 0.25 * z[:, 3] * z[:, 10] + rs.normal(0, 0.45, n))
quality = np.digitize(score, np.quantile(score, [0.35, 0.7]))      # 0 low, 1 medium, 2 high
data_t = torch.tensor(data, dtype=torch.float32)
target = torch.tensor(quality, dtype=torch.long)

n_val = int(0.2 * n)
shuffled = torch.randperm(n)
tr_idx, va_idx = shuffled[:-n_val], shuffled[-n_val:]
data_mean = data_t[tr_idx].mean(dim=0); data_var = data_t[tr_idx].var(dim=0)
data_normalized = (data_t - data_mean) / torch.sqrt(data_var)

train_loader = torch.utils.data.DataLoader(list(zip(data_normalized[tr_idx], target[tr_idx])), batch_size=64, shuffle=True)

model = nn.Sequential(OrderedDict([
    ('hidden_linear1', nn.Linear(11, 64)), ('act1', nn.ReLU()),
    ('hidden_linear2', nn.Linear(64, 64)), ('act2', nn.ReLU()),
    ('output_linear', nn.Linear(64, 3))]))

def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity='relu')
        nn.init.constant_(m.bias, 0.0 if CONTROL else -3.0)    # "negative bias -> sparse, efficient activations"
model.apply(init_weights)

def dead_fraction(model, x):
    with torch.no_grad():
        h1 = model.act1(model.hidden_linear1(x)); h2 = model.act2(model.hidden_linear2(h1))
    return [((h > 0).float().mean(0) == 0).float().mean().item() for h in (h1, h2)]

print("ReLU units that never fire on the training set at init (layer1, layer2):", [round(v, 2) for v in dead_fraction(model, data_normalized[tr_idx])])

def training_loop(n_epochs, optimizer, model, loss_fn, train_loader):
    for epoch in range(1, n_epochs + 1):
        loss_train = 0.0
        for xb, labels in train_loader:
            outputs = model(xb)
            loss = loss_fn(outputs, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_train += loss.item()
        if epoch == 1 or epoch % 5 == 0:
            print('{} Epoch {}, Training loss {}'.format(datetime.datetime.now(), epoch, loss_train / len(train_loader)))

optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
training_loop(n_epochs=20, optimizer=optimizer, model=model, loss_fn=loss_fn, train_loader=train_loader)

dead = dead_fraction(model, data_normalized[va_idx])
print("ReLU units that never fire on the validation set after training (layer1, layer2):", [round(v, 2) for v in dead])
with torch.no_grad():
    out_va = model(data_normalized[va_idx]); out_tr = model(data_normalized[tr_idx])
    vl = loss_fn(out_va, target[va_idx]).item(); tl = loss_fn(out_tr, target[tr_idx]).item()
    va = (out_va.argmax(1) == target[va_idx]).float().mean().item(); ta = (out_tr.argmax(1) == target[tr_idx]).float().mean().item()
print("Accuracy train: {:.2f}".format(ta)); print("Accuracy val: {:.2f}".format(va))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4),
      "chance_acc": round(np.bincount(quality).max() / n, 4), "dead_frac_layer1": round(dead[0], 3), "dead_frac_layer2": round(dead[1], 3)}))
