"""REINFORCE with a learned value baseline on a tiny hand-written 5x5 grid world
(numpy, 16 environments stepped in parallel). Reward +1 at the goal, -0.02 per step,
a pit cell that ends the episode with -1. The policy loss is not something that
goes down: the quantity of interest is the average return, logged per update."""
# expect:
# allow:
# forbid: *
# evidence: greedy return 0.84 = the optimum 0.84 (random policy at update 0: -0.99), success rate 1.00 over 64 greedy episodes; policy loss just fluctuates around 0
# native-log: rl_log.jsonl
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

S, MAX_T, N_ENV = 5, 40, 16
GOAL, PIT = (4, 4), (1, 3)
MOVES = np.array([[-1, 0], [1, 0], [0, -1], [0, 1]])


class GridWorld:
    def __init__(self, n, rng):
        self.n, self.rng = n, rng

    def reset(self):
        self.pos = np.zeros((self.n, 2), int)
        self.done = np.zeros(self.n, bool)
        return self.obs()

    def obs(self):
        o = np.zeros((self.n, S * S), np.float32)
        o[np.arange(self.n), self.pos[:, 0] * S + self.pos[:, 1]] = 1
        return o

    def step(self, a):
        r = np.where(self.done, 0.0, -0.02)
        newpos = np.clip(self.pos + MOVES[a], 0, S - 1)
        self.pos = np.where(self.done[:, None], self.pos, newpos)
        at_goal = (self.pos[:, 0] == GOAL[0]) & (self.pos[:, 1] == GOAL[1]) & ~self.done
        at_pit = (self.pos[:, 0] == PIT[0]) & (self.pos[:, 1] == PIT[1]) & ~self.done
        r = r + at_goal * 1.0 - at_pit * 1.0
        self.done = self.done | at_goal | at_pit
        return self.obs(), r, self.done.copy()


policy = nn.Sequential(nn.Linear(S * S, 64), nn.Tanh(), nn.Linear(64, 4))
value = nn.Sequential(nn.Linear(S * S, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Adam(list(policy.parameters()) + list(value.parameters()), lr=1e-2)
env = GridWorld(N_ENV, np.random.default_rng(0))
gamma = 0.99


def run_episodes(greedy=False, n=N_ENV):
    e = GridWorld(n, np.random.default_rng(1)) if greedy else env
    o = e.reset()
    obs, acts, rews, alive = [], [], [], []
    for t in range(MAX_T):
        with torch.no_grad():
            logits = policy(torch.tensor(o))
        a = logits.argmax(1).numpy() if greedy else torch.distributions.Categorical(logits=logits).sample().numpy()
        alive.append(~e.done.copy())
        obs.append(o); acts.append(a)
        o, r, d = e.step(a)
        rews.append(r)
        if d.all():
            break
    return np.array(obs), np.array(acts), np.array(rews, np.float32), np.array(alive)


log = open(os.path.join(LOG_DIR, "rl_log.jsonl"), "w")
for update in range(200):
    obs, acts, rews, alive = run_episodes()
    T = len(rews)
    ret = np.zeros_like(rews); g = np.zeros(N_ENV, np.float32)
    for t in reversed(range(T)):
        g = rews[t] + gamma * g
        ret[t] = g
    o = torch.tensor(obs).reshape(T * N_ENV, -1)
    a = torch.tensor(acts).reshape(-1)
    R = torch.tensor(ret).reshape(-1)
    m = torch.tensor(alive).reshape(-1).float()
    logits = policy(o)
    logp = F.log_softmax(logits, -1).gather(1, a[:, None]).squeeze(1)
    v = value(o).squeeze(1)
    adv = (R - v).detach()
    adv = (adv - (adv * m).sum() / m.sum()) / (((adv ** 2) * m).sum() / m.sum()).sqrt().clamp(min=1e-6)
    policy_loss = -(logp * adv * m).sum() / m.sum()
    value_loss = (((R - v) ** 2) * m).sum() / m.sum()
    entropy = (-(F.softmax(logits, -1) * F.log_softmax(logits, -1)).sum(1) * m).sum() / m.sum()
    loss = policy_loss + 0.5 * value_loss - 0.01 * entropy
    opt.zero_grad(); loss.backward(); opt.step()
    avg_return = float(rews.sum(0).mean())
    log.write(json.dumps({"update": update, "avg_return": round(avg_return, 4), "policy_loss": round(policy_loss.item(), 5),
                          "value_loss": round(value_loss.item(), 5), "entropy": round(entropy.item(), 4)}) + "\n")
    if update % 20 == 0 or update == 199:
        print(f"update {update:3d} avg_return {avg_return:+.3f} policy_loss {policy_loss.item():+.4f} "
              f"value_loss {value_loss.item():.4f} entropy {entropy.item():.3f}")
log.close()

_, _, rews, _ = run_episodes(greedy=True, n=64)
greedy_ret = rews.sum(0)
optimal = 1.0 - 0.02 * 8   # 8 moves, the last one lands on the goal (step cost included)
print("CORPUS_METRIC " + json.dumps({"greedy_return": round(float(greedy_ret.mean()), 4), "success_rate": round(float((greedy_ret > 0).mean()), 4),
                                      "optimal_return": round(optimal, 4), "final_train_avg_return": round(avg_return, 4)}))
