# expect: exploding_gradients
# allow: non_finite, non_convergence, learning_rate_too_high, poor_initialization
# forbid: *
# evidence: control (recurrent init 1.0*I) fine-tune grad norm 7-380, val_loss 0.274, val_acc 0.870; planted (1.25*I) pretrain on T=8 is fine (grad norm 3-11, val_acc 0.795) but at T=40 grad norm jumps to 8.0e+05, train loss 11140 then 28-850, val_loss 91.4, val_acc 0.733 (chance 0.50)
# control: --control
# native-log: rnn_log.csv
# log-expect:
# log-allow: non_finite, non_convergence, learning_rate_too_high, exploding_gradients
"""Deep plain ReLU RNN (3 stacked nn.RNN layers, IRNN-style identity recurrent init),
pretrained on length-8 sequences, then fine-tuned on length-40 sequences of the same
task (is the running sum of channel 0 positive at the end?). No gradient clipping.
Planted cause: the recurrent matrices are initialised to 1.25 * identity (a "gain" that
was meant for the input weights), so back-propagation through 40 steps x 3 layers blows
up once the fine-tune starts. --control uses the standard 1.0 * identity.
The gradient norm is printed every 10 fine-tune steps."""
import os, sys, json, random, tempfile, math
import numpy as np, torch, torch.nn as nn

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
GAIN = 1.0 if CONTROL else 1.25
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "rnn_log.csv"), "w")
log.write("stage,step,train_loss,grad_norm,val_loss,val_acc\n")

g = torch.Generator().manual_seed(0)
def make(n, T):
    X = torch.randn(n, T, 3, generator=g)
    return X, (X[:, :, 0].sum(1) > 0).long()

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(3, 48, num_layers=3, nonlinearity="relu", batch_first=True)
        self.out = nn.Linear(48, 2)
        for name, p in self.rnn.named_parameters():
            if "weight_hh" in name:
                with torch.no_grad(): p.copy_(GAIN * torch.eye(48))
            elif "bias" in name:
                nn.init.zeros_(p)
    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1])

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.CrossEntropyLoss()
def stage(name, T, steps):
    Xtr, ytr = make(1024, T); Xva, yva = make(400, T)
    for s in range(steps):
        idx = torch.randint(0, len(Xtr), (32,), generator=g)
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf")).item()  # measure only, no clipping
        opt.step()
        if s % 10 == 9:
            with torch.no_grad():
                out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
            log.write(f"{name},{s},{loss.item()},{gn},{vl},{va}\n")
            print(f"{name} step {s} train_loss {loss.item():.4f} grad_norm {gn:.3e} val_loss {vl:.4f} val_acc {va:.3f}")
    return vl, va, loss.item()
stage("pretrain(T=8)", 8, 80)
vl, va, tl = stage("finetune(T=40)", 40, 120)
log.close()
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": round(va, 4), "train_loss": fin(tl), "chance_acc": 0.5}))
