# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias, non_finite, dead_units
# forbid: *
# evidence: planted (head group lr 2.0 = 100x base 0.02, SGD momentum) loss oscillates 0.59 -> 2.99 -> 0.56 -> 2.63, val_acc peaks 0.922 at ep 3 then decays to 0.398, final train_loss 1.52; probe: 87.5% of 2nd hidden ReLU units dead at the end; control (1x) val_acc 0.976, val_loss 0.099, train_loss 0.004
# control: --control
"""Discriminative learning rates: separate optimizer param groups for the
feature extractor and the classifier head (head_lr = base_lr * HEAD_MULT)."""
import argparse
import json
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
a = ap.parse_args()
torch.manual_seed(3)
torch.set_num_threads(1)

BASE_LR = 0.02
HEAD_MULT = 1.0 if a.control else 100.0


class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        return self.classifier(self.features(x))


net = DigitNet()
optim = torch.optim.SGD([
    {"params": net.features.parameters(), "lr": BASE_LR, "name": "features"},
    {"params": net.classifier.parameters(), "lr": BASE_LR * HEAD_MULT, "name": "classifier"},
], momentum=0.9)

X, y = load_digits(return_X_y=True)
tr_x, va_x, tr_y, va_y = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
sc = StandardScaler().fit(tr_x)
tr_x = torch.tensor(sc.transform(tr_x), dtype=torch.float32)
va_x = torch.tensor(sc.transform(va_x), dtype=torch.float32)
va_x = va_x.clamp(-5, 5)
tr_y, va_y = torch.tensor(tr_y), torch.tensor(va_y)
ce = nn.CrossEntropyLoss()

for ep in range(20):
    net.train()
    idx = torch.randperm(len(tr_x))
    ls = []
    for s in range(0, len(idx), 32):
        bi = idx[s:s + 32]
        out = net(tr_x[bi])
        loss = ce(out, tr_y[bi])
        optim.zero_grad()
        loss.backward()
        optim.step()
        ls.append(loss.item())
    net.eval()
    with torch.no_grad():
        o = net(va_x)
        vloss, vacc = ce(o, va_y).item(), (o.argmax(1) == va_y).float().mean().item()
    lrs = {g["name"]: g["lr"] for g in optim.param_groups}
    print(f"epoch {ep+1:2d} loss {sum(ls)/len(ls):.4f} val_loss {vloss:.4f} val_acc {vacc:.3f} lrs {lrs}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(sum(ls) / len(ls), 4), "chance_acc": 0.1}))
