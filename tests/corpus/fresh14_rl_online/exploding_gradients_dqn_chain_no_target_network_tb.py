# expect: exploding_gradients
# allow: learning_rate_too_high, non_convergence, non_finite
# forbid: *
# evidence: probe: planted max |Q| reaches 2157 (true max 1.0) and TD-gradient norm peaks at 7525 around step 800, mean 47 over the first 200 updates vs 0.023 in control (x2000), still 52 vs 0.005 at the end; greedy eval return 0.0 (never reaches the goal in 60 steps; random policy 0.24); control (target net synced every 200 steps) max |Q| 1.27, Q error 0.02, eval return 1.0 in 11 steps (optimal); all values stay finite
# control: --control
# native-log: tb_chain
# log-expect:
# log-allow: exploding_gradients, learning_rate_too_high, non_convergence, non_finite
"""DQN on a 12-state chain MDP (reward +1 only at the right end) with gamma = 0.99, a replay
buffer, epsilon-greedy and an MSE TD loss, where the state is encoded by smooth position
features (p/N, (p/N)^2, 1) so nearby states share weights. The bootstrap target is computed with
the *online* network (no target network): every update that raises Q(s) also raises the target
it is regressed to, and the Q-values and the gradient norms blow up by orders of magnitude.
--control bootstraps from a target network hard-synced every 200 steps (everything else equal).
Probes printed: max |Q| vs the true maximum (1.0), TD-gradient norm, greedy evaluation."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
SEED = 0
random.seed(SEED); np.random.seed(SEED); torch.manual_seed(SEED)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
CONTROL = "--control" in sys.argv

N, MAX_T, GAMMA, STEPS = 12, 60, 0.99, 4000


def obs(p):
    return np.array([p / N, (p / N) ** 2, 1.0], np.float32)


def env_step(p, a):
    p2 = min(N - 1, p + 1) if a == 1 else max(0, p - 1)
    return p2, (1.0 if p2 == N - 1 else 0.0), p2 == N - 1


def make_q():
    return nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))


q, q_tgt = make_q(), make_q()
q_tgt.load_state_dict(q.state_dict())
opt = torch.optim.Adam(q.parameters(), lr=1e-3)
tb = SummaryWriter(os.path.join(LOG_DIR, "tb_chain"))
OBS = np.stack([obs(k) for k in range(N)])  # precomputed features
B_s = np.zeros(STEPS, np.int64); B_a = np.zeros(STEPS, np.int64); B_r = np.zeros(STEPS, np.float32)
B_s2 = np.zeros(STEPS, np.int64); B_d = np.zeros(STEPS, np.float32); nbuf = 0
p, t, ep_ret, returns = 0, 0, 0.0, []
gnorms, qmaxes = [], []
for step in range(STEPS):
    eps = max(0.1, 1 - step / 2000)
    if random.random() < eps:
        a = random.randrange(2)
    else:
        with torch.no_grad():
            a = int(q(torch.as_tensor(obs(p))).argmax())
    p2, r, done = env_step(p, a)
    B_s[nbuf], B_a[nbuf], B_r[nbuf], B_s2[nbuf], B_d[nbuf] = p, a, r, p2, float(done); nbuf += 1
    p = p2; t += 1; ep_ret += r
    if done or t >= MAX_T:
        returns.append(ep_ret); tb.add_scalar("episode/return", ep_ret, step)
        p, t, ep_ret = 0, 0, 0.0
    if nbuf > 100:
        idx = np.random.randint(0, nbuf, 64)
        o, o2 = torch.as_tensor(OBS[B_s[idx]]), torch.as_tensor(OBS[B_s2[idx]])
        a_, r_, d = torch.as_tensor(B_a[idx]), torch.as_tensor(B_r[idx]), torch.as_tensor(B_d[idx])
        qs = q(o).gather(1, a_[:, None]).squeeze(1)
        with torch.no_grad():
            nxt = (q_tgt if CONTROL else q)(o2).max(1).values
        target = r_.float() + GAMMA * (1 - d.float()) * nxt
        loss = F.mse_loss(qs, target)
        opt.zero_grad(); loss.backward()
        g = float(torch.linalg.vector_norm(torch.stack([pp.grad.norm() for pp in q.parameters()])))
        opt.step()
        gnorms.append(g); qmaxes.append(qs.abs().max().item())
        if CONTROL and step % 200 == 0:
            q_tgt.load_state_dict(q.state_dict())
        if step % 10 == 0:
            tb.add_scalar("train/td_loss", loss.item(), step)
            tb.add_scalar("train/q_max", qmaxes[-1], step)
            tb.add_scalar("train/lr", 1e-3, step)
        if step % 400 == 0 or step == STEPS - 1:
            print(f"step {step:4d} td_loss {loss.item():.4g} max|Q| {qmaxes[-1]:.4g} grad_norm {g:.4g} "
                  f"eps {eps:.2f} return(last10) {np.mean(returns[-10:]) if returns else 0:.2f}")
tb.close()

# evaluation: greedy episodes from the start state, and Q error against the true optimal values
with torch.no_grad():
    pe, steps_used, R = 0, 0, 0.0
    for k in range(MAX_T):
        pe, r, done = env_step(pe, int(q(torch.as_tensor(obs(pe))).argmax())); R += r; steps_used += 1
        if done:
            break
    Qall = q(torch.as_tensor(np.stack([obs(s) for s in range(N - 1)])))
q_true_right = np.array([GAMMA ** (N - 2 - s) for s in range(N - 1)])
q_err = float(np.abs(Qall[:, 1].numpy() - q_true_right).max())
rng = np.random.default_rng(5); rand_succ = 0
for _ in range(200):
    pe = 0
    for k in range(MAX_T):
        pe, r, done = env_step(pe, int(rng.integers(0, 2))); rand_succ += r  # return = 1 if the goal is reached
        if done:
            break
g_first, g_last = float(np.mean(gnorms[:200])), float(np.mean(gnorms[-200:]))
print(f"grad norm mean first 200 updates {g_first:.3g}, last 200 {g_last:.3g}; max |Q| {max(qmaxes):.4g} (true max 1.0); "
      f"max |Q(s,right) - Q*(s,right)| {q_err:.4g}")
print("CORPUS_METRIC " + json.dumps({"eval_return": R, "eval_steps": steps_used, "random_return": rand_succ / 200,
                                     "best_return": 1.0, "q_max_abs": float(max(qmaxes)), "q_error_max": q_err,
                                     "grad_norm_first": g_first, "grad_norm_last": g_last,
                                     "all_finite": bool(np.isfinite(gnorms).all())}))
