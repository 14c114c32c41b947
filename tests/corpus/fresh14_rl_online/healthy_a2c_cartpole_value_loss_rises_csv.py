# expect:
# allow:
# forbid: *
# evidence: healthy A2C: greedy eval_return 150.8 over 10 episodes (random policy 25.6, best 200), training return (last 20 episodes) 186.9; critic MSE rises from 10.6 at iter 0 to 53-92 around iters 300-350 as returns grow, entropy 0.69 -> 0.50
# native-log: a2c_cartpole.csv
# log-expect:
# log-allow:
"""Advantage actor-critic (separate actor / critic nets, entropy bonus) on a hand-written,
vectorised CartPole (16 envs, 5-step returns). As the pole stays up longer the value targets
grow, so the critic's MSE *rises* while the return improves; the policy loss is noisy and has
no trend; entropy falls. Healthy look-alike."""
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


class VecCartPole:
    """Classic cart-pole physics (Barto et al.), N copies stepped at once in numpy."""
    def __init__(self, n, max_steps=200, rng=None):
        self.n, self.max_steps = n, max_steps
        self.rng = rng or np.random.default_rng(0)
        self.g, self.mc, self.mp, self.l, self.fm, self.dt = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
        self.s = self.rng.uniform(-0.05, 0.05, size=(n, 4)); self.t = np.zeros(n, dtype=int)
        self.ep_ret = np.zeros(n); self.finished = []

    def step(self, a):
        x, xd, th, thd = self.s.T
        f = np.where(a == 1, self.fm, -self.fm)
        ct, st = np.cos(th), np.sin(th)
        tm = self.mc + self.mp; pml = self.mp * self.l
        temp = (f + pml * thd ** 2 * st) / tm
        thacc = (self.g * st - ct * temp) / (self.l * (4.0 / 3.0 - self.mp * ct ** 2 / tm))
        xacc = temp - pml * thacc * ct / tm
        x = x + self.dt * xd; xd = xd + self.dt * xacc
        th = th + self.dt * thd; thd = thd + self.dt * thacc
        self.s = np.stack([x, xd, th, thd], 1); self.t += 1; self.ep_ret += 1.0
        fail = (np.abs(x) > 2.4) | (np.abs(th) > 0.2095)
        trunc = self.t >= self.max_steps
        done = fail | trunc
        r = np.ones(self.n)
        for i in np.where(done)[0]:
            self.finished.append(self.ep_ret[i]); self.ep_ret[i] = 0; self.t[i] = 0
            self.s[i] = self.rng.uniform(-0.05, 0.05, size=4)
        return self.s.copy(), r, fail, trunc


def evaluate(policy_fn, episodes=10, seed=123):
    env = VecCartPole(episodes, rng=np.random.default_rng(seed))
    alive = np.ones(episodes, bool); rets = np.zeros(episodes)
    obs = env.s.copy()
    for _ in range(env.max_steps):
        a = policy_fn(obs)
        obs, r, fail, trunc = env.step(a)
        rets += r * alive
        alive &= ~(fail | trunc)
        if not alive.any():
            break
    return float(rets.mean())


actor = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 2))
critic = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Adam(list(actor.parameters()) + list(critic.parameters()), lr=3e-3)
GAMMA, NSTEP, NENV, ITERS, ENT = 0.99, 5, 16, 420, 0.01

env = VecCartPole(NENV, rng=np.random.default_rng(SEED))
obs = env.s.copy()
f = open(os.path.join(LOG_DIR, "a2c_cartpole.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["iteration", "policy_loss", "value_loss", "entropy", "mean_return"])
for it in range(ITERS):
    obs_b, act_b, rew_b, fail_b, trunc_b = [], [], [], [], []
    for _ in range(NSTEP):
        o = torch.as_tensor(obs, dtype=torch.float32)
        with torch.no_grad():
            a = torch.distributions.Categorical(logits=actor(o)).sample().numpy()
        obs2, r, fail, trunc = env.step(a)
        obs_b.append(o); act_b.append(a); rew_b.append(r); fail_b.append(fail); trunc_b.append(trunc)
        obs = obs2
    with torch.no_grad():
        R = critic(torch.as_tensor(obs, dtype=torch.float32)).squeeze(-1).numpy()
    rets = []
    for k in reversed(range(NSTEP)):
        # truncation: bootstrap would need the pre-reset state; treating as cut is the usual A2C shortcut
        R = rew_b[k] + GAMMA * R * (1.0 - (fail_b[k] | trunc_b[k]))
        rets.append(R)
    rets = torch.as_tensor(np.stack(rets[::-1]).reshape(-1), dtype=torch.float32)
    O = torch.cat(obs_b); A = torch.as_tensor(np.concatenate(act_b))
    logits = actor(O); dist = torch.distributions.Categorical(logits=logits)
    V = critic(O).squeeze(-1)
    adv = (rets - V).detach()
    policy_loss = -(dist.log_prob(A) * adv).mean()
    value_loss = F.mse_loss(V, rets)
    entropy = dist.entropy().mean()
    loss = policy_loss + 0.5 * value_loss - ENT * entropy
    opt.zero_grad(); loss.backward()
    nn.utils.clip_grad_norm_(list(actor.parameters()) + list(critic.parameters()), 1.0)
    opt.step()
    mean_ret = float(np.mean(env.finished[-20:])) if env.finished else 0.0
    w.writerow([it, f"{policy_loss.item():.5f}", f"{value_loss.item():.5f}", f"{entropy.item():.5f}", f"{mean_ret:.2f}"])
    if it % 50 == 0 or it == ITERS - 1:
        print(f"iter {it:4d} policy_loss {policy_loss.item():+.4f} value_loss {value_loss.item():8.3f} "
              f"entropy {entropy.item():.3f} return(last20) {mean_ret:6.1f}")
f.close()


def greedy(o):
    with torch.no_grad():
        return actor(torch.as_tensor(o, dtype=torch.float32)).argmax(-1).numpy()


rng = np.random.default_rng(7)
eval_ret = evaluate(greedy)
rand_ret = evaluate(lambda o: rng.integers(0, 2, size=len(o)))
print("CORPUS_METRIC " + json.dumps({"eval_return": eval_ret, "random_return": rand_ret, "best_return": 200.0,
                                     "train_return_last20": float(np.mean(env.finished[-20:]))}))
