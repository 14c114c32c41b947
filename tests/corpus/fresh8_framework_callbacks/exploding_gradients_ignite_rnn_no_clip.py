# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, poor_initialization, non_convergence, high_bias
# forbid: *
# evidence: planted (recurrent gain 3.0, no clipping): grad norm reaches 3.2e8 then NaN (377 non-finite steps), val_acc 0.49; control (gain 1): max grad norm 15, val_acc 0.862, val_loss 0.28
# control: --control
# native-log: rnn_epochs.csv
# log-expect:
# log-allow: non_finite, exploding_gradients, learning_rate_too_high, non_convergence, high_bias
# Ignite training of a vanilla ReLU Elman RNN on a sequence-sum task. The recurrent
# matrix is initialised as 3.0 * orthogonal ("to keep memory"), so gradients blow up through time
# and there is no clipping. --control initialises the recurrent matrix as plain orthogonal (gain 1).
import os, sys, csv, json, math, tempfile
import torch
from torch import nn
from ignite.engine import Engine, Events
torch.set_num_threads(1); torch.manual_seed(2)
GAIN = 1.0 if "--control" in sys.argv else 3.0
logd = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logd, exist_ok=True)
path = os.path.join(logd, "rnn_epochs.csv")

def batch_data(n, g, T=30):
    x = torch.randn(n, T, 1, generator=g)
    y = (x[:, -10:, 0].sum(1) > 0).long()   # sign of the sum of the last 10 inputs
    return x, y
g = torch.Generator().manual_seed(2)
Xtr, Ytr = batch_data(2000, g); Xva, Yva = batch_data(500, g)

class Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 48, nonlinearity="relu", batch_first=True)
        nn.init.orthogonal_(self.rnn.weight_hh_l0, gain=GAIN); nn.init.zeros_(self.rnn.bias_hh_l0)
        self.head = nn.Linear(48, 2)
    def forward(self, x):
        return self.head(self.rnn(x)[0][:, -1])
model = Seq()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
gnorms = []
def step(engine, b):
    model.train(); opt.zero_grad()
    loss = nn.functional.cross_entropy(model(b[0]), b[1]); loss.backward()
    gnorms.append(math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters())))
    opt.step(); return loss.item()
eng = Engine(step)
rows = []
@eng.on(Events.EPOCH_COMPLETED)
def ep(e):
    model.eval()
    with torch.no_grad():
        lv = model(Xva); lt = model(Xtr)
    rows.append([e.state.epoch, nn.functional.cross_entropy(lt, Ytr).item(), (lt.argmax(1) == Ytr).float().mean().item(),
                 nn.functional.cross_entropy(lv, Yva).item(), (lv.argmax(1) == Yva).float().mean().item(), max(gnorms[-63:])])
    with open(path, "w", newline="") as f:
        w = csv.writer(f); w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "max_grad_norm"]); w.writerows(rows)
eng.run(torch.utils.data.DataLoader(list(zip(Xtr, Ytr)), batch_size=32, shuffle=True), max_epochs=6)
gn = torch.tensor(gnorms)
finite = gn[torch.isfinite(gn)]
print(f"probe: grad norm median {finite.median():.3g}, max {finite.max():.3g}, non-finite steps {int((~torch.isfinite(gn)).sum())}")
r = rows[-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": r[3] if math.isfinite(r[3]) else None, "val_acc": round(r[4], 4), "train_loss": r[1] if math.isfinite(r[1]) else None,
                                     "chance_acc": 0.5, "non_finite_steps": int((~torch.isfinite(gn)).sum()), "max_grad_norm": float(f"{finite.max():.3g}")}))
