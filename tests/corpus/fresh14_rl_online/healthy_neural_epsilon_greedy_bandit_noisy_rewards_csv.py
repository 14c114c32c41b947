# expect:
# allow:
# forbid: *
# evidence: healthy neural bandit: greedy expected reward on 5000 fresh contexts 0.791 vs oracle 0.828 and random 0.000; regression loss plateaus at 0.25-0.33, i.e. at the reward-noise variance 0.25, not at zero
# native-log: bandit_online.csv
# log-expect:
# log-allow:
"""Neural epsilon-greedy contextual bandit (ad-slot selection): a reward model predicts the
reward of each of 4 arms from a 6-d context, is trained online on its own growing log of
(context, arm, reward) with a few SGD steps per round, and epsilon decays from 1 to 0.05. Rewards
carry Gaussian noise with variance 0.25, so the regression loss plateaus near 0.25 and never goes
to zero; the per-round reward is noisy. Healthy look-alike."""
import os, sys, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

D, K, NOISE_SD = 6, 4, 0.5
rng = np.random.default_rng(SEED)
W = rng.normal(0, 1, size=(K, D)); V = rng.normal(0, 1, size=(K, D))


def mean_reward(x):  # (n, D) -> (n, K)
    return np.tanh(x @ W.T) + 0.5 * np.sin(x @ V.T)


model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, K))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
ROUNDS, B, STEPS_PER_ROUND, MB = 300, 32, 4, 128
logX, logA, logR = [], [], []
regret = 0.0
f = open(os.path.join(LOG_DIR, "bandit_online.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["round", "epsilon", "loss", "mean_reward", "cumulative_regret"])
for t in range(ROUNDS):
    eps = max(0.05, 1.0 - t / 150)
    x = rng.normal(0, 1, size=(B, D)).astype(np.float32)
    with torch.no_grad():
        greedy = model(torch.as_tensor(x)).argmax(1).numpy()
    a = np.where(rng.random(B) < eps, rng.integers(0, K, B), greedy)
    mu = mean_reward(x)
    r = mu[np.arange(B), a] + rng.normal(0, NOISE_SD, B)
    regret += float((mu.max(1) - mu[np.arange(B), a]).sum())
    logX.append(x); logA.append(a); logR.append(r.astype(np.float32))
    X, A, R = np.concatenate(logX), np.concatenate(logA), np.concatenate(logR)
    losses = []
    for _ in range(STEPS_PER_ROUND):
        idx = rng.integers(0, len(X), MB)
        pred = model(torch.as_tensor(X[idx])).gather(1, torch.as_tensor(A[idx])[:, None]).squeeze(1)
        loss = F.mse_loss(pred, torch.as_tensor(R[idx]))
        opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
    w.writerow([t, f"{eps:.3f}", f"{np.mean(losses):.5f}", f"{r.mean():.4f}", f"{regret:.2f}"])
    if t % 30 == 0 or t == ROUNDS - 1:
        print(f"round {t:3d} eps {eps:.2f} loss {np.mean(losses):.4f} reward {r.mean():+.3f} cum_regret {regret:8.1f}")
f.close()
xe = np.random.default_rng(77).normal(0, 1, size=(5000, D)).astype(np.float32)
mu = mean_reward(xe)
with torch.no_grad():
    ag = model(torch.as_tensor(xe)).argmax(1).numpy()
print("CORPUS_METRIC " + json.dumps({"eval_return": round(float(mu[np.arange(len(xe)), ag].mean()), 4),
                                     "random_return": round(float(mu.mean()), 4), "best_return": round(float(mu.max(1).mean()), 4),
                                     "reward_noise_var": NOISE_SD ** 2, "final_loss": round(float(np.mean(losses)), 4)}))
