# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations
# forbid: *
# evidence: control (tanh) val_acc 1.000, val_loss 0.0016; planted (sigmoid) val_acc 0.250 = chance, val_loss 1.3865; at step 0 embedding grad norm 1.2e-4 vs fc 0.26 (ratio ~5e-4) planted, 1.35e-2 vs 0.125 control
# control: --control
"""Hand-rolled 3-layer Elman RNN classifier where the recurrence uses sigmoid (the author
wanted 'probability-like' hidden states). The label is decided by the first token of a length-12
sequence; the rest is noise. --control uses tanh in the recurrence."""
import json
import sys

import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
torch.set_num_threads(1)
torch.manual_seed(31)

SEQ_LEN, N_TOK, N_CLASSES = 12, 10, 4


def batch(n, g=None):
    x = torch.randint(N_CLASSES, N_TOK, (n, SEQ_LEN), generator=g)
    y = torch.randint(0, N_CLASSES, (n,), generator=g)
    x[:, 0] = y                       # the only informative token is the first one
    return x, y


class ElmanLayer(nn.Module):
    def __init__(self, d_in, d_h, act):
        super().__init__()
        self.Wx = nn.Linear(d_in, d_h)
        self.Wh = nn.Linear(d_h, d_h, bias=False)
        self.act = act

    def forward(self, xs):
        h = xs.new_zeros(xs.size(0), self.Wh.in_features)
        out = []
        for t in range(xs.size(1)):
            h = self.act(self.Wx(xs[:, t]) + self.Wh(h))
            out.append(h)
        return torch.stack(out, 1)


class StackedRNN(nn.Module):
    def __init__(self, d=32, layers=3):
        super().__init__()
        act = torch.tanh if CONTROL else torch.sigmoid
        self.emb = nn.Embedding(N_TOK, d)
        self.layers = nn.ModuleList(ElmanLayer(d, d, act) for _ in range(layers))
        self.fc = nn.Linear(d, N_CLASSES)

    def forward(self, x):
        h = self.emb(x)
        for layer in self.layers:
            h = layer(h)
        return self.fc(h[:, -1])


model = StackedRNN()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
lossf = nn.CrossEntropyLoss()
xv, yv = batch(1000, torch.Generator().manual_seed(0))

for step in range(401):
    x, y = batch(64)
    loss = lossf(model(x), y)
    opt.zero_grad()
    loss.backward()
    if step % 50 == 0:
        g_emb = model.emb.weight.grad.norm().item()
        g_l0 = model.layers[0].Wx.weight.grad.norm().item()
        g_fc = model.fc.weight.grad.norm().item()
        with torch.no_grad():
            out = model(xv)
            vacc = (out.argmax(1) == yv).float().mean().item()
            vloss = lossf(out, yv).item()
        print(f"step {step}: loss {loss.item():.4f} val_loss {vloss:.4f} val_acc {vacc:.3f} "
              f"|grad| emb {g_emb:.2e} layer0.Wx {g_l0:.2e} fc {g_fc:.2e}")
    opt.step()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4), "train_loss": round(loss.item(), 4),
                                     "chance_acc": 1 / N_CLASSES, "emb_grad_norm": g_emb, "fc_grad_norm": g_fc}))
