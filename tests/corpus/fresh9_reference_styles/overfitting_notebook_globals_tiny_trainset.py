# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (150 training rows, 256-wide MLP, 80 epochs) train_loss 0.0002 while val_loss rises from its best 0.487 (epoch 8) to 0.935, val_acc 0.772; control (10000 rows, same steps) train_loss 0.311, val_loss 0.329 (best 0.328), val_acc 0.854 (majority 0.50)
# control: --control
# %% [markdown]
# ## Churn model v2 -- quick experiment
# Only the first export of the CRM table (150 rows) was at hand, so we train on that and
# keep a big hold-out from the later export. Wide MLP, Adam, many epochs.

# %%
import json, sys
import numpy as np
import torch
from torch import nn
torch.manual_seed(1); np.random.seed(1); torch.set_num_threads(1)

# %%
N_TRAIN = 10000 if "--control" in sys.argv else 150   # control: the full export
D = 40
W_TRUE = np.random.randn(D) * (np.random.rand(D) < 0.25)   # few informative columns
def draw(n):
    X = np.random.randn(n, D).astype(np.float32)
    logit = X @ W_TRUE + 0.7 * X[:, 0] * X[:, 1]
    y = (logit + np.random.logistic(size=n) > 0).astype(np.int64)
    return X, y
Xtr, ytr = draw(N_TRAIN)
Xte, yte = draw(2000)
Xtr_t, ytr_t, Xte_t, yte_t = map(torch.tensor, (Xtr, ytr, Xte, yte))
ytr.mean(), yte.mean()

# %%
model = nn.Sequential(nn.Linear(D, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
optim = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
hist = {"loss": [], "val_loss": [], "val_acc": []}
STEPS_PER_EPOCH = 5
EPOCHS = 80

# %%
for epoch in range(EPOCHS):
    model.train()
    for _ in range(STEPS_PER_EPOCH):
        idx = torch.randint(0, N_TRAIN, (30,))
        loss = crit(model(Xtr_t[idx]), ytr_t[idx])
        optim.zero_grad(); loss.backward(); optim.step()
    model.eval()
    with torch.no_grad():
        tr_loss = crit(model(Xtr_t[:1000]), ytr_t[:1000]).item()  # first 1000 rows is plenty
        out = model(Xte_t)
        vl = crit(out, yte_t).item(); va = (out.argmax(1) == yte_t).float().mean().item()
    hist["loss"].append(tr_loss); hist["val_loss"].append(vl); hist["val_acc"].append(va)
    if epoch % 15 == 0 or epoch == EPOCHS - 1:
        print(f"{epoch:3d} loss {tr_loss:.4f} val_loss {vl:.4f} val_acc {va:.4f}")

# %%
best = int(np.argmin(hist["val_loss"]))
print("best val_loss", round(hist["val_loss"][best], 4), "at epoch", best)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(hist["val_loss"][-1], 4), "val_acc": round(hist["val_acc"][-1], 4),
                                     "train_loss": round(hist["loss"][-1], 4), "best_val_loss": round(hist["val_loss"][best], 4),
                                     "chance_acc": round(max(yte.mean(), 1 - yte.mean()), 4)}))
