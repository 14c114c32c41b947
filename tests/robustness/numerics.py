"""Three seeded CPU trainings (MLP, CNN, dropout + batch norm); saves their final state_dicts and
per-step losses to argv[1], so a run under `traindx run` can be compared with plain `python`."""
import sys

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)


def mlp():
    return nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 3))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
                         nn.Flatten(), nn.Linear(32, 3))


def dropout_bn():
    return nn.Sequential(nn.Linear(12, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.3),
                         nn.Linear(32, 32), nn.BatchNorm1d(32), nn.GELU(), nn.Dropout(0.2),
                         nn.Linear(32, 3))


def train(name, make, shape, opt_cls, **hp):
    torch.manual_seed(1234)
    x = torch.randn(256, *shape)
    y = (x.reshape(256, -1)[:, :3].sum(1) > 0).long() + (x.reshape(256, -1)[:, 3] > 1).long()
    loader = DataLoader(TensorDataset(x[:192], y[:192]), batch_size=16, shuffle=True)
    model = make()
    opt = opt_cls(model.parameters(), **hp)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.7)
    losses = []
    for epoch in range(3):
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            sched.step()
            losses.append(loss.detach().clone())
        model.eval()
        with torch.no_grad():
            losses.append(nn.CrossEntropyLoss()(model(x[192:]), y[192:]))
    return {"state": {k: v.clone() for k, v in model.state_dict().items()},
            "losses": torch.stack(losses), "rng": torch.get_rng_state()}


results = {
    "mlp": train("mlp", mlp, (12,), torch.optim.SGD, lr=0.1, momentum=0.9),
    "cnn": train("cnn", cnn, (1, 8, 8), torch.optim.Adam, lr=3e-3),
    "dropout_bn": train("dropout_bn", dropout_bn, (12,), torch.optim.AdamW, lr=3e-3, weight_decay=0.01),
}
torch.save(results, sys.argv[1])
print("saved", sys.argv[1])
