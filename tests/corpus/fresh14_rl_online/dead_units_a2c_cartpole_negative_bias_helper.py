# expect: dead_units
# allow: non_convergence, vanishing_gradients, poor_initialization
# forbid: *
# evidence: probe: fraction of hidden ReLU units that never fire on 512 probe states = actor 1.00 / critic 0.97 (planted, end) vs 0.38 / 0.25 (control); control (default bias init) greedy eval_return 130.6, planted 9.0 (constant action; random policy 25.6, best 200)
# control: --control
"""A2C with ReLU actor and critic on a vectorised CartPole. A "sparse features" init helper sets
every hidden bias to -2: with CartPole observations of size ~0.05 no hidden unit ever fires, the
policy is a constant and returns stay at the random level. --control uses the default bias init."""
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


actor = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))
critic = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 1))
if "--control" not in sys.argv:
    for net in (actor, critic):
        nn.init.constant_(net[0].bias, -2.0)


def dead_fraction(net, obs):
    with torch.no_grad():
        h = net[1](net[0](obs))
    return float(((h > 0).sum(0) == 0).float().mean())


probe_obs = torch.as_tensor(np.random.default_rng(5).uniform(-0.2, 0.2, size=(512, 4)), dtype=torch.float32)
print(f"init: dead ReLU fraction actor {dead_fraction(actor, probe_obs):.2f} critic {dead_fraction(critic, probe_obs):.2f}")
opt = torch.optim.Adam(list(actor.parameters()) + list(critic.parameters()), lr=3e-3)
GAMMA, NSTEP, NENV, ITERS, ENT = 0.99, 5, 16, 420, 0.01

env = VecCartPole(NENV, rng=np.random.default_rng(SEED))
obs = env.s.copy()

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
    if it % 50 == 0 or it == ITERS - 1:
        print(f"iter {it:4d} policy_loss {policy_loss.item():+.4f} value_loss {value_loss.item():8.3f} "
              f"entropy {entropy.item():.3f} return(last20) {mean_ret:6.1f}")


def greedy(o):
    with torch.no_grad():
        return actor(torch.as_tensor(o, dtype=torch.float32)).argmax(-1).numpy()


rng = np.random.default_rng(7)
eval_ret = evaluate(greedy)
rand_ret = evaluate(lambda o: rng.integers(0, 2, size=len(o)))
dfa, dfc = dead_fraction(actor, probe_obs), dead_fraction(critic, probe_obs)
print(f"end: dead ReLU fraction actor {dfa:.2f} critic {dfc:.2f}")
print("CORPUS_METRIC " + json.dumps({"eval_return": eval_ret, "random_return": rand_ret, "best_return": 200.0,
                                     "train_return_last20": float(np.mean(env.finished[-20:])), "dead_frac_actor": dfa, "dead_frac_critic": dfc}))
