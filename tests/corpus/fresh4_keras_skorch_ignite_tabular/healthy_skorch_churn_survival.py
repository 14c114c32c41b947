# expect:
# allow:
# forbid: *
# evidence: censored gym-membership cancellation times (71% censored), exponential-hazard MLP: test C-index 0.687 vs 0.688 for the true generating hazard (chance 0.5), test NLL 1.377 ~ train 1.372
# native-log: survival_history.json
# log-expect:
# log-allow:
# Time-to-cancellation of gym memberships with right censoring: exponential-hazard network trained
# with the censored negative log-likelihood; skorch NeuralNetRegressor with a custom criterion.
import json, os, tempfile
import numpy as np
import torch
from torch import nn
from skorch import NeuralNetRegressor
from skorch.callbacks import EpochScoring, LRScheduler
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(55)
rng = np.random.default_rng(55)

n = 5000
age = rng.uniform(18, 70, n)
visits_per_week = rng.gamma(2.0, 1.0, n)
contract_12m = (rng.random(n) < 0.4).astype(float)
distance_km = rng.gamma(2.0, 3.0, n)
price = rng.choice([19.0, 29.0, 39.0], n)
log_hazard = (-3.2 - 0.6 * np.log1p(visits_per_week) * 2 - 0.8 * contract_12m + 0.25 * np.log1p(distance_km)
              + 0.02 * (price - 29) + 0.0006 * (age - 40) ** 2)
months = rng.exponential(1 / np.exp(log_hazard))
censor_at = rng.uniform(3, 36, n)                       # end of observation window
event = (months <= censor_at).astype(np.float32)
t_obs = np.minimum(months, censor_at).astype(np.float32)

X = np.column_stack([(age - 44) / 15, np.log1p(visits_per_week), contract_12m, np.log1p(distance_km), (price - 29) / 8]).astype(np.float32)
Y = np.column_stack([t_obs, event]).astype(np.float32)
X_tr, Y_tr, X_te, Y_te = X[:4000], Y[:4000], X[4000:], Y[4000:]


class ExpHazardNLL(nn.Module):
    def forward(self, log_h, y):
        t, d = y[:, 0], y[:, 1]
        log_h = log_h.squeeze(-1)
        return (torch.exp(log_h) * t - d * log_h).mean()


def concordance(risk, t, d):
    # fraction of comparable pairs (i had the event before j's time) where i has the higher risk
    order = np.argsort(t)
    risk, t, d = risk[order], t[order], d[order]
    num = den = 0.0
    for i in np.nonzero(d)[0]:
        later = t > t[i]
        den += later.sum()
        num += (risk[i] > risk[later]).sum() + 0.5 * (risk[i] == risk[later]).sum()
    return num / den


def c_index_scorer(net, X, y):
    return concordance(net.predict(X).ravel(), y[:, 0], y[:, 1])


module = nn.Sequential(nn.Linear(5, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1))
with torch.no_grad():
    module[-1].bias.fill_(float(np.log(Y_tr[:, 1].sum() / Y_tr[:, 0].sum())))   # start at the pooled hazard
net = NeuralNetRegressor(
    module, criterion=ExpHazardNLL, optimizer=torch.optim.Adam, lr=3e-3, batch_size=128, max_epochs=30,
    train_split=ValidSplit(0.2, random_state=0),
    callbacks=[EpochScoring(c_index_scorer, lower_is_better=False, name="valid_cindex"),
               LRScheduler(policy="CosineAnnealingLR", T_max=30)],
    verbose=0,
)
net.fit(X_tr, Y_tr)
net.history.to_file(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "survival_history.json"))

c_test = concordance(net.predict(X_te).ravel(), Y_te[:, 0], Y_te[:, 1])
c_oracle = concordance(log_hazard[4000:], Y_te[:, 0], Y_te[:, 1])
with torch.no_grad():
    test_nll = float(ExpHazardNLL()(net.module_(torch.tensor(X_te)), torch.tensor(Y_te)))
print(f"test C-index {c_test:.3f} (true hazard {c_oracle:.3f}); censored {1 - Y_te[:, 1].mean():.2f}; test NLL {test_nll:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_nll, 4), "train_loss": round(float(net.history[-1, "train_loss"]), 4),
                                      "val_cindex": round(c_test, 4), "oracle_cindex": round(c_oracle, 4), "chance_cindex": 0.5}))
