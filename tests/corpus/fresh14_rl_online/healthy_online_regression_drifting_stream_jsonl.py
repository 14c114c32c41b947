# expect:
# allow:
# forbid: *
# evidence: healthy online regression: final held-out MSE on the current stream distribution 0.097 vs target variance 1.35 (noise floor 0.01); prequential MSE spikes to 0.56 and 2.94 right after the change points and recovers to ~0.03 within 50 steps
# native-log: online_stream.jsonl
# log-expect:
# log-allow:
"""Online (one pass, prequential) regression on a drifting data stream: a sensor-calibration
model sees each mini-batch once, is scored on it *before* the update (test-then-train), then
takes one Adam step. The target function drifts slowly all the time and jumps abruptly at two
change points, so the streaming loss spikes twice and recovers; it never goes to zero because of
sensor noise. Held-out metric: MSE on a fresh sample from the *current* stream distribution vs
the noise floor and vs predicting the mean. Healthy look-alike."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

D, NOISE = 5, 0.1
rng = np.random.default_rng(SEED)
W1 = rng.normal(0, 1, D); W2 = rng.normal(0, 1, D)


def stream_params(t):
    # slow rotation between two weight vectors + abrupt jumps at t=1000 and t=2000
    a = t / 3000
    w = (1 - a) * W1 + a * W2
    shift = 0.0 if t < 1000 else (1.5 if t < 2000 else -1.0)
    gain = 1.0 if t < 2000 else 1.6
    return w, shift, gain


def sample(n, t, r):
    x = r.normal(0, 1, size=(n, D)).astype(np.float32)
    w, shift, gain = stream_params(t)
    y = gain * np.sin(x @ w) + 0.3 * x[:, 0] * x[:, 1] + shift + r.normal(0, NOISE, n)
    return x, y.astype(np.float32)


model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
T, B = 3000, 16
f = open(os.path.join(LOG_DIR, "online_stream.jsonl"), "w")
run = []
for t in range(T):
    x, y = sample(B, t, rng)
    X, Y = torch.as_tensor(x), torch.as_tensor(y)
    with torch.no_grad():
        preq = F.mse_loss(model(X).squeeze(-1), Y).item()  # scored before the update
    loss = F.mse_loss(model(X).squeeze(-1), Y)
    opt.zero_grad(); loss.backward(); opt.step()
    run.append(preq)
    if t % 10 == 0:
        f.write(json.dumps({"step": t, "loss": float(np.mean(run[-10:])), "lr": 3e-3}) + "\n")
    if t % 250 == 0 or t in (1001, 1010, 1050, 2001, 2010, 2050):
        print(f"t {t:4d} prequential_mse(last10) {np.mean(run[-10:]):.4f}")
f.close()
xe, ye = sample(4000, T - 1, np.random.default_rng(99))
with torch.no_grad():
    mse = F.mse_loss(model(torch.as_tensor(xe)).squeeze(-1), torch.as_tensor(ye)).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse, 5), "noise_floor_mse": NOISE ** 2,
                                     "target_variance": round(float(ye.var()), 4),
                                     "prequential_mse_last200": round(float(np.mean(run[-200:])), 5)}))
