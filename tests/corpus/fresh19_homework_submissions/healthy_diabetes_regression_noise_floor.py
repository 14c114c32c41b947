# expect:
# allow:
# forbid: *
# evidence: healthy: val MSE 4213 (ep10) -> 3112 (ep40) -> 3065 (ep60), flat at the noise floor: below the LinearRegression baseline 3108, var(y_val) 5749 (R2 0.47, the usual ceiling for this dataset); train MSE 2665
# native-log: diabetes_training.csv
# log-expect:
# log-allow:
# HW7 regression: predict disease progression (sklearn diabetes). MLP vs. the linear regression baseline.
# My loss stops going down after ~40 epochs at MSE ~3000 -- is something wrong??
import os
import csv
import json
import tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(0)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

X, y = load_diabetes(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=8)
xs = StandardScaler().fit(X_train)
y_mean, y_std = y_train.mean(), y_train.std()

# baseline
lin = LinearRegression().fit(X_train, y_train)
baseline_mse = float(np.mean((lin.predict(X_val) - y_val) ** 2))
print("linear regression val MSE:", round(baseline_mse, 1), " var(y_val):", round(float(y_val.var()), 1))

Xt = torch.tensor(xs.transform(X_train), dtype=torch.float32)
Xv = torch.tensor(xs.transform(X_val), dtype=torch.float32)
yt = torch.tensor((y_train - y_mean) / y_std, dtype=torch.float32).unsqueeze(1)
yv = torch.tensor((y_val - y_mean) / y_std, dtype=torch.float32).unsqueeze(1)

model = nn.Sequential(nn.Linear(10, 8), nn.ReLU(), nn.Linear(8, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-2)
mse = nn.MSELoss()

f = open(os.path.join(logdir, "diabetes_training.csv"), "w", newline="")
writer = csv.writer(f)
writer.writerow(["epoch", "train_mse", "val_mse"])

for epoch in range(60):
    model.train()
    perm = torch.randperm(len(Xt))
    for i in range(0, len(Xt), 32):
        b = perm[i:i + 32]
        optimizer.zero_grad()
        loss = mse(model(Xt[b]), yt[b])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        train_mse = mse(model(Xt), yt).item() * y_std ** 2   # back in original units
        val_mse = mse(model(Xv), yv).item() * y_std ** 2
    writer.writerow([epoch + 1, round(train_mse, 2), round(val_mse, 2)])
    if (epoch + 1) % 10 == 0:
        print(f"epoch {epoch + 1:3d}  train MSE {train_mse:8.1f}  val MSE {val_mse:8.1f}")
f.close()

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 1), "train_mse": round(train_mse, 1),
                                     "target_var": round(float(y_val.var()), 1),
                                     "linear_baseline_val_mse": round(baseline_mse, 1),
                                     "val_r2": round(1 - val_mse / float(y_val.var()), 3)}))
