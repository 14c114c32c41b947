# expect:
# forbid: *
# evidence: tanh RNN, T=25: val_mse 0.0044 vs target var 0.845 (R^2 0.995); 0.0% of hidden states |h|>0.99
# Vanilla tanh RNN (nn.RNN default nonlinearity) on 25-step sequences: predict an exponentially
# weighted sum of the inputs. Tanh + plain RNN looks like a saturation / exploding-gradient
# candidate, but with default init, standardised inputs and short sequences it trains well.
import json

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
T = 25
decay = 0.8 ** torch.arange(T - 1, -1, -1).float()


def batch(n, g):
    x = torch.randn(n, T, 2, generator=g)
    y = ((x[:, :, 0] - 0.5 * x[:, :, 1]) * decay).sum(1, keepdim=True) / 2.0
    return x, y


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(2, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.head(h[:, -1])


g = torch.Generator().manual_seed(1)
x_val, y_val = batch(1000, g)
model = Model()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=250, gamma=0.3)
loss_fn = nn.MSELoss()

for it in range(1, 401):
    x, y = batch(64, g)
    loss = loss_fn(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if it % 50 == 0:
        model.eval()
        with torch.no_grad():
            vm = loss_fn(model(x_val), y_val).item()
            sat = (model.rnn(x_val)[0].abs() > 0.99).float().mean().item()
        model.train()
        print(f"it {it:4d} train_mse {loss.item():.4f} val_mse {vm:.4f} |h|>0.99 {sat:.1%}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "train_mse_last": round(loss.item(), 5),
                                     "target_var": round(y_val.var().item(), 4)}))
