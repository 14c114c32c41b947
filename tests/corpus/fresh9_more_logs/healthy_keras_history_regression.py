# expect:
# allow:
# forbid: *
# evidence: tanh MLP regression on a smooth 8-d function (noise var 0.0025), 30 epochs + ReduceLROnPlateau: train_mse 0.0046, val_mse 0.0048 vs target_var 1.00
# native-log: history.json
# log-expect:
# log-allow:
# Ported from a Keras notebook: the training loop is torch now, but the run still dumps
# json.dump(history.history, f) exactly like model.fit(...) did, so old plotting code works.
import os, json, tempfile
import numpy as np
import torch
torch.set_num_threads(1)
torch.manual_seed(3)
rng = np.random.default_rng(3)

N = 3000
X = rng.uniform(-1, 1, size=(N, 8)).astype("float32")
w = rng.normal(size=(8,))
Y = (np.sin(2 * X @ w / np.sqrt(8)) + 0.5 * X[:, 0] * X[:, 1] + 0.3 * X[:, 2] ** 2).astype("float32")
Y = (Y - Y.mean()) / Y.std()
Y = Y + rng.normal(scale=0.05, size=N).astype("float32")
x_train, y_train = torch.tensor(X[:2400]), torch.tensor(Y[:2400]).unsqueeze(1)
x_val, y_val = torch.tensor(X[2400:]), torch.tensor(Y[2400:]).unsqueeze(1)

model = torch.nn.Sequential(
    torch.nn.Linear(8, 64), torch.nn.Tanh(),
    torch.nn.Linear(64, 64), torch.nn.Tanh(),
    torch.nn.Linear(64, 1),
)
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=4)
mse = torch.nn.MSELoss()

history = {"loss": [], "mae": [], "val_loss": [], "val_mae": [], "learning_rate": []}
for epoch in range(30):
    model.train()
    perm = torch.randperm(len(x_train))
    sum_l = sum_a = 0.0
    for i in range(0, len(perm), 48):
        b = perm[i:i + 48]
        pred = model(x_train[b])
        loss = mse(pred, y_train[b])
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        sum_l += loss.item() * len(b)
        sum_a += (pred - y_train[b]).abs().sum().item()
    model.eval()
    with torch.no_grad():
        pv = model(x_val)
        vl = mse(pv, y_val).item()
        va = (pv - y_val).abs().mean().item()
    history["learning_rate"].append(optimizer.param_groups[0]["lr"])
    plateau.step(vl)
    history["loss"].append(sum_l / len(x_train))
    history["mae"].append(sum_a / len(x_train))
    history["val_loss"].append(vl)
    history["val_mae"].append(va)
    print(f"Epoch {epoch + 1}/30 - loss: {history['loss'][-1]:.4f} - mae: {history['mae'][-1]:.4f} "
          f"- val_loss: {vl:.4f} - val_mae: {va:.4f} - learning_rate: {history['learning_rate'][-1]:.2e}")

out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "history.json"), "w") as f:
    json.dump(history, f)

with torch.no_grad():
    tl = mse(model(x_train), y_train).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5), "target_var": round(float(y_val.var()), 4),
                                     "train_loss": round(tl, 5), "val_loss": round(vl, 5)}))
