# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: planted: loss first NaN at iteration 56, 257 NaN weights at the end, eval return 0.0 (NaN policy never buys); control (Bernoulli(logits=)) finite throughout with |logit| up to ~40, eval return 0.3196 vs best 0.3215, random -0.003
# control: --control
# native-log: bernoulli_pg.csv
# log-expect: non_finite
# log-allow: non_convergence
"""Policy gradient for a binary 'buy / skip' decision on a contextual bandit. The Bernoulli
log-likelihood is written by hand as a*log(p) + (1-a)*log(1-p) with p = sigmoid(logit). As the
policy becomes confident, sigmoid() rounds to exactly 1.0 in float32, log(1-p) = -inf and
0 * -inf = NaN: the loss, the gradients and then the weights become NaN. --control uses the
stable Bernoulli(logits=...) log-prob."""
import os, sys, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
CONTROL = "--control" in sys.argv

D = 6
rng = np.random.default_rng(SEED)
w_true = rng.normal(0, 1, size=D) * 3.0


def p_good(x):  # probability that buying pays off
    return 1.0 / (1.0 + np.exp(-(x @ w_true)))


policy = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(policy.parameters(), lr=1e-2)
ITERS, B = 500, 128
first_nan = None
f = open(os.path.join(LOG_DIR, "bernoulli_pg.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["iteration", "loss", "mean_reward", "max_abs_logit"])
for it in range(ITERS):
    x = rng.normal(0, 1, size=(B, D)).astype(np.float32)
    xt = torch.as_tensor(x)
    logit = policy(xt).squeeze(-1)
    with torch.no_grad():
        pr = torch.sigmoid(logit)
        a = torch.bernoulli(torch.nan_to_num(pr, nan=0.5).clamp(0, 1))
    good = rng.random(B) < p_good(x)
    # buying pays +1 if good, -1 otherwise; skipping pays 0
    r = torch.as_tensor(np.where(a.numpy() == 1, np.where(good, 1.0, -1.0), 0.0), dtype=torch.float32)
    adv = r - r.mean()
    if CONTROL:
        logp = torch.distributions.Bernoulli(logits=logit).log_prob(a)
    else:
        p = torch.sigmoid(logit)
        logp = a * torch.log(p) + (1 - a) * torch.log(1 - p)
    loss = -(logp * adv).mean()
    opt.zero_grad(); loss.backward(); opt.step()
    mx = logit.detach().abs().max().item()
    if first_nan is None and not np.isfinite(loss.item()):
        first_nan = it
    w.writerow([it, f"{loss.item():.6f}", f"{r.mean().item():.4f}", f"{mx:.3f}"])
    if it % 50 == 0 or it == ITERS - 1 or it == first_nan:
        print(f"iter {it:4d} loss {loss.item():+.5f} reward {r.mean().item():+.3f} max|logit| {mx:.2f}")
f.close()

xe = rng.normal(0, 1, size=(5000, D)).astype(np.float32)
pg = p_good(xe)
with torch.no_grad():
    lg = policy(torch.as_tensor(xe)).squeeze(-1)
buy = (torch.nan_to_num(lg, nan=-1.0) > 0).numpy()  # a NaN policy never buys
eval_ret = float(np.where(buy, 2 * pg - 1, 0.0).mean())
best = float(np.maximum(2 * pg - 1, 0).mean())
rand = float((0.5 * (2 * pg - 1)).mean())
nan_w = int(sum(torch.isnan(p).sum().item() for p in policy.parameters()))
print(f"first non-finite loss at iteration: {first_nan}; NaN weights at end: {nan_w}")
print("CORPUS_METRIC " + json.dumps({"eval_return": round(eval_ret, 4), "random_return": round(rand, 4),
                                     "best_return": round(best, 4), "first_nan_iter": first_nan,
                                     "nan_weights": nan_w}))
