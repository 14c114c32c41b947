"""A skorch NeuralNetClassifier with SGD; its own log: history.json (net.save_params)."""
import os

import torch
from skorch import NeuralNetClassifier
from skorch.dataset import ValidSplit

from _data import args, data, mlp

a = args()
xt, yt, xv, yv = data()
callbacks = []
if a.callback:
    from traindx.integrations.skorch import TraindxCallback
    callbacks.append(TraindxCallback(out=a.callback))
net = NeuralNetClassifier(mlp(), criterion=torch.nn.CrossEntropyLoss, optimizer=torch.optim.SGD, lr=a.lr,
                          optimizer__momentum=0.9, max_epochs=8, batch_size=32, train_split=ValidSplit(6),
                          callbacks=callbacks, verbose=0)
net.fit(torch.cat([xt, xv]), torch.cat([yt, yv]))
os.makedirs(a.logs, exist_ok=True)
net.save_params(f_history=os.path.join(a.logs, "history.json"))
