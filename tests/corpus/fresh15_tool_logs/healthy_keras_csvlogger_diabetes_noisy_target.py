"""Diabetes progression regression (442 patients, 10 features) with a small dense net in the style
of a Keras tutorial (Dense(16, relu) -> Dense(1), Adam, loss mse, metrics mae, validation_split=0.2),
logged in keras.callbacks.CSVLogger's format (training.log: epoch,loss,mae,val_loss,val_mae).
The target is very noisy: even the best models explain only ~half of its variance, so val_loss
stays high in absolute terms - that is the noise floor (a ridge regression gets the same), not underfitting.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: test MSE 3271 (R^2 0.37) vs RidgeCV 3422 on the same split (target variance 5186); val_loss flat at 2837-2865 over the last 12 epochs, train MSE 2577 - the noisy-target floor, no divergence or gap growth
# native-log: training.log
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile, csv
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_diabetes
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

X, y = load_diabetes(return_X_y=True)
Xa, Xte, ya, yte = train_test_split(X, y, test_size=0.2, random_state=0)
mu, sd = Xa.mean(0), Xa.std(0); Xa, Xte = (Xa - mu) / sd, (Xte - mu) / sd
nv = int(0.2 * len(Xa)); Xtr, ytr, Xva, yva = Xa[:-nv], ya[:-nv], Xa[-nv:], ya[-nv:]   # keras validation_split takes the tail
ridge = RidgeCV(alphas=np.logspace(-2, 3, 20)).fit(Xtr, ytr); ridge_mse = float(((ridge.predict(Xte) - yte) ** 2).mean())
t = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr, Xva, Xte, ytr, yva, yte = t(Xtr), t(Xva), t(Xte), t(ytr)[:, None], t(yva)[:, None], t(yte)[:, None]
model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 1))
with torch.no_grad(): model[2].bias.fill_(float(ytr.mean()))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
f = open(os.path.join(LOG_DIR, "training.log"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "loss", "mae", "val_loss", "val_mae"])
for epoch in range(40):
    model.train(); perm = torch.randperm(len(Xtr)); tl = ta = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; out = model(Xtr[idx]); loss = F.mse_loss(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); ta += (out - ytr[idx]).abs().sum().item()
    model.eval()
    with torch.no_grad():
        pv = model(Xva); vl = F.mse_loss(pv, yva).item(); vm = (pv - yva).abs().mean().item()
    wr.writerow([epoch, float(np.float32(tl / len(Xtr))), float(np.float32(ta / len(Xtr))), float(np.float32(vl)), float(np.float32(vm))]); f.flush()
    if epoch % 10 == 0 or epoch == 39:
        print(f"Epoch {epoch + 1}/40 - loss: {tl/len(Xtr):.1f} - mae: {ta/len(Xtr):.2f} - val_loss: {vl:.1f} - val_mae: {vm:.2f}")
f.close()
with torch.no_grad():
    mse = F.mse_loss(model(Xte), yte).item(); trm = F.mse_loss(model(Xtr), ytr).item()
print(f"reference RidgeCV test MSE {ridge_mse:.1f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse, 1), "train_mse": round(trm, 1), "target_var": round(yte.var().item(), 1), "ridge_test_mse": round(ridge_mse, 1),
                                     "val_r2": round(1 - mse / yte.var().item(), 4)}))
