# expect:
# allow:
# forbid: *
# evidence: healthy DQN: greedy eval_return 0.91 = best achievable 0.91 (10-move shortest path), random policy -0.484; TD loss jumps right after each target sync (e.g. 1e-5 at step 2000 -> 0.017 at step 2002, 1e-5 -> 0.021 at 3500 -> 3502) and never settles while learning; q_mean rises 0.04 -> 0.81
# native-log: tb_dqn
# log-expect:
# log-allow:
"""DQN (replay buffer, Huber TD loss, epsilon-greedy with linear decay, hard target-network
sync every 250 steps) on a hand-written 6x6 gridworld with walls. The TD loss never goes to
zero (bootstrapped targets keep moving) and jumps every time the target net is synced; the
per-episode return is noisy while epsilon is high. Logged to TensorBoard. Healthy look-alike."""
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

N = 6
WALLS = {(1, 1), (1, 2), (1, 3), (3, 2), (3, 3), (3, 4), (4, 1)}
START, GOAL, MAX_T = (0, 0), (5, 5), 60
MOVES = [(-1, 0), (1, 0), (0, -1), (0, 1)]


class Grid:
    def reset(self):
        self.pos, self.t = START, 0
        return self.obs()

    def obs(self):
        o = np.zeros(N * N, np.float32); o[self.pos[0] * N + self.pos[1]] = 1.0
        return o

    def step(self, a):
        r, c = self.pos[0] + MOVES[a][0], self.pos[1] + MOVES[a][1]
        if 0 <= r < N and 0 <= c < N and (r, c) not in WALLS:
            self.pos = (r, c)
        self.t += 1
        if self.pos == GOAL:
            return self.obs(), 1.0, True, False
        return self.obs(), -0.01, False, self.t >= MAX_T


def make_q():
    return nn.Sequential(nn.Linear(N * N, 64), nn.ReLU(), nn.Linear(64, 4))


q, q_tgt = make_q(), make_q()
q_tgt.load_state_dict(q.state_dict())
opt = torch.optim.Adam(q.parameters(), lr=1e-3)
GAMMA, STEPS, BATCH, SYNC, WARMUP = 0.97, 4000, 64, 250, 200
buf_o = np.zeros((5000, N * N), np.float32); buf_a = np.zeros(5000, np.int64); buf_r = np.zeros(5000, np.float32)
buf_o2 = np.zeros((5000, N * N), np.float32); buf_d = np.zeros(5000, np.float32); nbuf = 0

tb = SummaryWriter(os.path.join(LOG_DIR, "tb_dqn"))
env = Grid(); o = env.reset(); ep_ret, ep, returns = 0.0, 0, []
for step in range(STEPS):
    eps = max(0.05, 1.0 - step / 2500)
    if random.random() < eps:
        a = random.randrange(4)
    else:
        with torch.no_grad():
            a = int(q(torch.as_tensor(o)).argmax())
    o2, r, term, trunc = env.step(a)
    i = nbuf % 5000
    buf_o[i], buf_a[i], buf_r[i], buf_o2[i], buf_d[i] = o, a, r, o2, float(term); nbuf += 1
    ep_ret += r; o = o2
    if term or trunc:
        returns.append(ep_ret); tb.add_scalar("episode/return", ep_ret, step)
        ep += 1; o = env.reset(); ep_ret = 0.0
    if nbuf >= WARMUP:
        idx = np.random.randint(0, min(nbuf, 5000), BATCH)
        ob, ab, rb = torch.as_tensor(buf_o[idx]), torch.as_tensor(buf_a[idx]), torch.as_tensor(buf_r[idx])
        o2b, db = torch.as_tensor(buf_o2[idx]), torch.as_tensor(buf_d[idx])
        qsa = q(ob).gather(1, ab[:, None]).squeeze(1)
        with torch.no_grad():
            target = rb + GAMMA * (1 - db) * q_tgt(o2b).max(1).values
        loss = F.smooth_l1_loss(qsa, target)
        opt.zero_grad(); loss.backward(); opt.step()
        if step % 10 == 0:
            tb.add_scalar("train/td_loss", loss.item(), step)
            tb.add_scalar("train/q_mean", qsa.mean().item(), step)
            tb.add_scalar("train/epsilon", eps, step)
            tb.add_scalar("train/lr", opt.param_groups[0]["lr"], step)
        if step % SYNC == 0:
            q_tgt.load_state_dict(q.state_dict())
        if step % 500 == 0 or step % SYNC == 2:
            print(f"step {step:5d} td_loss {loss.item():.5f} q_mean {qsa.mean().item():+.3f} eps {eps:.2f} "
                  f"episodes {ep} return(last10) {np.mean(returns[-10:]) if returns else 0:+.3f}")
tb.close()


def run_policy(pick, episodes=20):
    rets = []
    for _ in range(episodes):
        e = Grid(); ob = e.reset(); R = 0.0
        while True:
            ob, r, term, trunc = e.step(pick(ob)); R += r
            if term or trunc:
                break
        rets.append(R)
    return float(np.mean(rets))


greedy = lambda ob: int(q(torch.as_tensor(ob)).argmax())
with torch.no_grad():
    eval_ret = run_policy(greedy, 1)  # deterministic env + greedy policy
rand_ret = run_policy(lambda ob: random.randrange(4), 50)
best = 1.0 - 0.01 * 9  # shortest path is 10 moves: 9 step costs then the +1
print("CORPUS_METRIC " + json.dumps({"eval_return": round(eval_ret, 3), "random_return": round(rand_ret, 3),
                                     "best_return": round(best, 3), "episodes": ep}))
