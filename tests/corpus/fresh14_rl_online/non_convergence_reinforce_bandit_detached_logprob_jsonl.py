# expect: non_convergence
# allow: vanishing_gradients, learning_rate_too_low
# forbid: *
# evidence: policy grad norm 0.0 in every step (planted) vs mean 0.18 (control); expected reward planted 0.454 (random 0.512, oracle 0.912), entropy stays 1.59; control (attached log-prob) 0.898
# control: --control
# native-log: bandit_detached.jsonl
# log-expect:
# log-allow: non_convergence
"""REINFORCE with a learned baseline on a contextual bandit. The log-probabilities were
"cached" for logging with .detach() and the cached copy was then used in the surrogate loss, so
the policy never receives a gradient: only the baseline learns, and the reward stays at the
random-policy level. --control uses the attached log-prob."""
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
opt = torch.optim.Adam([{"params": policy.parameters(), "lr": 3e-3},
                        {"params": baseline.parameters(), "lr": 1e-2}])
ITERS, B, ENT = 400, 64, 0.0  # no entropy bonus in this config
gnorms = []

f = open(os.path.join(LOG_DIR, "bandit_detached.jsonl"), "w")
for it in range(ITERS):
    x = contexts(B, rng)
    xt = torch.as_tensor(x)
    dist = torch.distributions.Categorical(logits=policy(xt))
    a = dist.sample()
    r = (rng.random(B) < arm_means(x)[np.arange(B), a.numpy()]).astype(np.float32)
    r = torch.as_tensor(r)
    v = baseline(xt).squeeze(-1)
    adv = (r - v).detach()
    logp = dist.log_prob(a) if "--control" in sys.argv else dist.log_prob(a).detach()  # BUG: detached
    policy_loss = -(logp * adv).mean()
    baseline_loss = F.mse_loss(v, r)
    entropy = dist.entropy().mean()
    loss = policy_loss + baseline_loss - ENT * entropy
    opt.zero_grad(); loss.backward()
    gnorm = float(sum((p.grad.norm() ** 2 if p.grad is not None else torch.tensor(0.)) for p in policy.parameters()) ** 0.5)
    gnorms.append(gnorm)
    opt.step()
    f.write(json.dumps({"step": it, "loss": loss.item(), "policy_loss": policy_loss.item(),
                        "baseline_loss": baseline_loss.item(), "entropy": entropy.item(),
                        "reward": r.mean().item()}) + "\n")
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
print(f"policy grad norm: mean {np.mean(gnorms):.3e}")
print("CORPUS_METRIC " + json.dumps({"eval_return": round(eval_ret, 4), "random_return": round(float(mu.mean()), 4),
                                     "best_return": round(float(mu.max(1).mean()), 4),
                                     "optimal_arm_rate": round(float((ag == mu.argmax(1)).mean()), 4),
                                     "policy_grad_norm_mean": float(np.mean(gnorms))}))
