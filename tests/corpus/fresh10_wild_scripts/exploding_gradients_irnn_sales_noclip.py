# Monthly-demand regression with an "IRNN" (ReLU RNN, identity-initialised recurrence, Le et al.
# 2015) over 30 daily values. The recipe needs gradient clipping; this script left it out.
# Progress goes to a log file through the logging module.
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, dead_units
# forbid: *
# evidence: no clipping: grad norm median 4.0e3 over the first 20 steps, max 1.4e11, epoch-0 train_loss 3.7e7, then collapses to the mean: val_mse 0.104 = target var 0.104; --control (clip_grad_norm 1.0, nothing else changed) val_mse 0.0035, train_mse 0.0033
# control: --control
# native-log: irnn_train.log
# log-expect:
# log-allow: non_finite, exploding_gradients, learning_rate_too_high, non_convergence
import os, sys, json, math, logging, tempfile
import numpy as np
import torch
import torch.nn as nn

CLIP = 1.0 if "--control" in sys.argv else None
logging.basicConfig(filename=os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "irnn_train.log"),
                    level=logging.INFO, format="%(asctime)s [%(levelname)s] %(message)s")
logger = logging.getLogger(__name__)
torch.set_num_threads(1); torch.manual_seed(0)
rng = np.random.default_rng(0)
T = 30


def make(n):
    v = rng.random((n, T)); m = np.zeros((n, T))
    promo = rng.random((n, T)) < 0.1                      # promotion-day flag as a second channel
    x = np.stack([v, promo], -1).astype(np.float32)
    y = (v.sum(1) / 5).astype(np.float32)                  # monthly total (scaled)
    return torch.tensor(x), torch.tensor(y)


Xtr, ytr = make(3000); Xva, yva = make(500)


class IRNN(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.rnn = nn.RNN(2, hidden, batch_first=True, nonlinearity="relu")
        nn.init.eye_(self.rnn.weight_hh_l0); nn.init.zeros_(self.rnn.bias_hh_l0)
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.fc(h[:, -1]).squeeze(1)


model = IRNN()
opt = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9)
mse = nn.MSELoss()
step, gnorms = 0, []
for epoch in range(8):
    model.train()
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        loss = mse(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP if CLIP else float("inf"))
        gnorms.append(gn.item())
        opt.step(); tot += loss.item() * len(b); step += 1
        if step % 20 == 0:
            logger.info("step=%d loss=%.6f grad_norm=%.4g lr=%g", step, loss.item(), gn.item(), opt.param_groups[0]["lr"])
    model.eval()
    with torch.no_grad():
        vl = mse(model(Xva), yva).item()
    logger.info("epoch=%d train_loss=%.6f val_loss=%.6f", epoch, tot / len(Xtr), vl)
    print(f"epoch {epoch}: train_loss={tot/len(Xtr):.5f} val_loss={vl:.5f} max_grad_norm={max(gnorms[-94:]):.3g}")
with torch.no_grad():
    tl = mse(model(Xtr), ytr).item()
finite = [g for g in gnorms if math.isfinite(g)]
first_nonfinite = next((k for k, g in enumerate(gnorms) if not math.isfinite(g)), None)
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 5) if math.isfinite(vl) else None, "train_mse": round(tl, 5) if math.isfinite(tl) else None,
                                     "target_var": round(float(yva.var()), 4), "grad_norm_median_first20": float(f"{np.median(gnorms[:20]):.3g}"),
                                     "grad_norm_max_finite": float(f"{max(finite):.3g}"), "first_nonfinite_grad_step": first_nonfinite}))
