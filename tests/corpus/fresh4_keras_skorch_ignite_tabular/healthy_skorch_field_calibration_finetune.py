# expect:
# allow:
# forbid: *
# evidence: field RMSE 3.36 %RH for the lab-pretrained model -> 0.61 %RH after low-lr (2e-4) fine-tuning on 300 field readings (field-only model from scratch 0.67); held-out val_mse 0.00059 vs target variance 1.03
# native-log: finetune_history.json
# log-expect:
# log-allow:
"""Humidity-sensor calibration: pre-train on abundant lab-chamber data, then fine-tune at a low
learning rate on a few hundred field readings (different enclosure -> small systematic shift).
The native log is the fine-tuning run's skorch history.
"""
import copy
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetRegressor
from skorch.callbacks import EarlyStopping
from skorch.dataset import Dataset
from skorch.helper import predefined_split

torch.set_num_threads(1)
torch.manual_seed(808)
rng = np.random.default_rng(808)

# raw channels: capacitance (pF), sensor temperature (C), supply voltage (V), dew-point estimate (C)
def chamber(n, field=False):
    true_rh = rng.uniform(10, 95, n)
    temp = rng.uniform(-5, 45, n) if not field else rng.uniform(5, 38, n)
    cap = 180 + 0.42 * true_rh + 0.0025 * true_rh ** 2 * (1 + 0.004 * (temp - 25)) + rng.normal(0, 0.4, n)
    if field:
        cap += 1.8 + 0.012 * true_rh    # enclosure adds parasitic capacitance
    volt = rng.normal(3.3, 0.05, n)
    dew = temp - (100 - true_rh) / 5 + rng.normal(0, 1.0, n)
    return np.column_stack([cap, temp, volt, dew]), true_rh


Xl, yl = chamber(4000)
Xf, yf = chamber(700, field=True)
mu, sd = Xl.mean(0), Xl.std(0)
prep = lambda X: ((X - mu) / sd).astype(np.float32)
ty = lambda y: ((y - 50) / 25).astype(np.float32)[:, None]
Xl, yl_t = prep(Xl), ty(yl)
Xf, yf_t = prep(Xf), ty(yf)
Xf_tr, yf_tr, Xf_te, yf_te = Xf[:300], yf_t[:300], Xf[300:], yf_t[300:]


def rmse_rh(net, X, y):
    return float(np.sqrt(np.mean((net.predict(X) - y) ** 2)) * 25)


class CalibMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(4, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.f(x)


# stage 1: lab pre-training
lab = NeuralNetRegressor(CalibMLP, optimizer=torch.optim.Adam, lr=3e-3, max_epochs=15, batch_size=64,
                         train_split=None, iterator_train__shuffle=True, verbose=0)
lab.fit(Xl, yl_t)
before = rmse_rh(lab, Xf_te, yf_te)

# stage 2: fine-tune on field data, small lr, early stopping on a held-out slice of field data
field_net = NeuralNetRegressor(
    copy.deepcopy(lab.module_), optimizer=torch.optim.Adam, lr=2e-4, max_epochs=40, batch_size=16,
    train_split=predefined_split(Dataset(Xf[300:450], yf_t[300:450])),
    callbacks=[EarlyStopping(patience=6, load_best=True)], iterator_train__shuffle=True, verbose=0)
field_net.fit(Xf_tr, yf_tr)
field_net.history.to_file(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "finetune_history.json"))

after = rmse_rh(field_net, Xf[450:], yf_t[450:])
scratch = NeuralNetRegressor(CalibMLP, optimizer=torch.optim.Adam, lr=3e-3, max_epochs=40, batch_size=16,
                             train_split=None, verbose=0).fit(Xf_tr, yf_tr)
scratch_rmse = rmse_rh(scratch, Xf[450:], yf_t[450:])
val_mse = float(np.mean((field_net.predict(Xf[450:]) - yf_t[450:]) ** 2))
print(f"field RMSE (%RH): lab model {before:.2f} -> fine-tuned {after:.2f}; field-only from scratch {scratch_rmse:.2f}; "
      f"fine-tune epochs {len(field_net.history)}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 5), "val_rmse_rh": round(after, 3), "lab_model_rmse_rh": round(before, 3),
                                      "scratch_rmse_rh": round(scratch_rmse, 3), "train_loss": round(float(field_net.history[-1, "train_loss"]), 5),
                                      "target_var": round(float(yf_t[450:].var()), 4)}))
