# expect: learning_rate_too_high
# allow: non_convergence
# forbid: *
# evidence: control (policy lr 3e-3) expected reward 0.898, optimal-arm rate 0.84, entropy 0.37 at the end; planted (lr 0.5) policy entropy 0.000 already at iter 40 (collapsed to a deterministic policy), expected reward 0.703, optimal-arm rate 0.41 (random 0.512, oracle 0.912)
# control: --control
# native-log: bandit_lr_high.csv
# log-expect:
# log-allow: learning_rate_too_high, non_convergence
"""REINFORCE with a learned baseline on a contextual bandit, but the policy learning rate is 0.5
(a sweep value meant for the tabular version). After a few huge updates the softmax policy
collapses onto a single arm for every context, the entropy goes to ~0 and the reward falls back
to the random-policy level. --control sets the policy lr back to 3e-3."""
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

D, K = 8, 5
rng = np.random.default_rng(SEED)
W_true = rng.normal(0, 1.0, size=(K, D)) * 1.5
b_true = rng.normal(0, 0.3, size=K)


def arm_means(x):  # x: (n, D) -> (n, K) success probability of each arm
    return 1.0 / (1.0 + np.exp(-(x @ W_true.T + b_true)))


def contexts(n, r):
    return r.normal(0, 1, size=(n, D)).astype(np.float32)


policy = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, K))
baseline = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam([{"params": policy.parameters(), "lr": 3e-3 if "--control" in sys.argv else 0.5},
                        {"params": baseline.parameters(), "lr": 1e-2}])
ITERS, B, ENT = 400, 64, 0.005

f = open(os.path.join(LOG_DIR, "bandit_lr_high.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["iteration", "lr", "policy_loss", "baseline_loss", "entropy", "mean_reward"])
for it in range(ITERS):
    x = contexts(B, rng)
    xt = torch.as_tensor(x)
    dist = torch.distributions.Categorical(logits=policy(xt))
    a = dist.sample()
    r = (rng.random(B) < arm_means(x)[np.arange(B), a.numpy()]).astype(np.float32)
    r = torch.as_tensor(r)
    v = baseline(xt).squeeze(-1)
    adv = (r - v).detach()
    policy_loss = -(dist.log_prob(a) * adv).mean()
    baseline_loss = F.mse_loss(v, r)
    entropy = dist.entropy().mean()
    loss = policy_loss + baseline_loss - ENT * entropy
    opt.zero_grad(); loss.backward(); opt.step()
    w.writerow([it, opt.param_groups[0]["lr"], f"{policy_loss.item():.5f}", f"{baseline_loss.item():.5f}", f"{entropy.item():.5f}", f"{r.mean().item():.4f}"])
    if it % 40 == 0 or it == ITERS - 1:
        print(f"iter {it:4d} policy_loss {policy_loss.item():+.4f} baseline_loss {baseline_loss.item():.4f} "
              f"entropy {entropy.item():.3f} reward {r.mean().item():.3f}")
f.close()

# held-out evaluation: expected reward of the greedy policy on fresh contexts
xe = contexts(5000, np.random.default_rng(999))
mu = arm_means(xe)
with torch.no_grad():
    ag = policy(torch.as_tensor(xe)).argmax(-1).numpy()
eval_ret = float(mu[np.arange(len(xe)), ag].mean())
print("CORPUS_METRIC " + json.dumps({"eval_return": round(eval_ret, 4), "random_return": round(float(mu.mean()), 4),
                                     "best_return": round(float(mu.max(1).mean()), 4),
                                     "optimal_arm_rate": round(float((ag == mu.argmax(1)).mean()), 4),
                                     "most_common_arm_share": round(float(np.bincount(ag, minlength=K).max() / len(ag)), 4)}))
