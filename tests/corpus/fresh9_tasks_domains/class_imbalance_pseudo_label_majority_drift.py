# expect: class_imbalance
# allow: overfitting, high_variance, high_bias
# forbid: *
# evidence: labelled seed 400/50/50; plain self-training adds pseudo-labels 1471/253/280 in round 1 (final train share 0.65/0.19/0.17), balanced test acc 0.685, minority recall 0.53/0.59 vs majority 0.93, predicts class 0 for 60% of a balanced test set, test CE 2.10. Control (class-weighted CE + per-class quotas): test acc 0.772, min recall 0.705, test CE 0.91
# control: --control
# Semi-supervised self-training with pseudo-labels. The labelled seed set is skewed (80/10/10) while
# the unlabelled pool and the test set are balanced. Each round: train, then add unlabelled points
# whose max softmax > 0.9 with their argmax label. Plain CE + global threshold lets the majority
# class swallow the pool. --control: class-balanced CE weights and per-class pseudo-label quotas.
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

BALANCED = "--control" in sys.argv
torch.manual_seed(4)
torch.set_num_threads(1)
C, D = 3, 10
means = torch.tensor([[0.0, 0.0], [1.6, 1.2], [-1.4, 1.5]])


def sample(counts, seed):
    g = torch.Generator().manual_seed(seed)
    xs, ys = [], []
    for c, n in enumerate(counts):
        core = means[c] + 0.9 * torch.randn(n, 2, generator=g)
        noise = torch.randn(n, D - 2, generator=g)
        xs.append(torch.cat([core, noise], 1))
        ys.append(torch.full((n,), c))
    x, y = torch.cat(xs), torch.cat(ys)
    p = torch.randperm(len(y), generator=g)
    return x[p], y[p]


x_lab, y_lab = sample([400, 50, 50], 1)
x_unl, y_unl_hidden = sample([1500, 1500, 1500], 2)
x_test, y_test = sample([600, 600, 600], 3)
print("labelled class counts", torch.bincount(y_lab).tolist())


def new_model():
    return nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, C))


def train(model, x, y, epochs=12):
    w = (len(y) / (C * torch.bincount(y, minlength=C).clamp(min=1).float())) if BALANCED else None
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    for _ in range(epochs):
        perm = torch.randperm(len(y))
        for i in range(0, len(y), 64):
            b = perm[i:i + 64]
            loss = F.cross_entropy(model(x[b]), y[b], weight=w)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return loss.item()


def report(model, tag):
    with torch.no_grad():
        logits = model(x_test)
        pred = logits.argmax(1)
    recall = [((pred == c) & (y_test == c)).sum().item() / (y_test == c).sum().item() for c in range(C)]
    acc = (pred == y_test).float().mean().item()
    print(f"{tag}: test acc {acc:.3f} per-class recall {[round(r, 3) for r in recall]} "
          f"pred share {torch.bincount(pred, minlength=C).div(len(pred)).tolist()}")
    return acc, recall, F.cross_entropy(logits, y_test).item()


x_train, y_train = x_lab, y_lab
used = torch.zeros(len(x_unl), dtype=torch.bool)
for rnd in range(4):
    model = new_model()
    last = train(model, x_train, y_train)
    acc, recall, vloss = report(model, f"round {rnd} (train size {len(y_train)})")
    with torch.no_grad():
        prob = F.softmax(model(x_unl), 1)
    conf, lab = prob.max(1)
    cand = (~used) & (conf > 0.9)
    if BALANCED:
        quota = 300
        pick = torch.zeros_like(cand)
        for c in range(C):
            idx = torch.nonzero(cand & (lab == c)).squeeze(1)
            idx = idx[conf[idx].argsort(descending=True)[:quota]]
            pick[idx] = True
    else:
        pick = cand
    used |= pick
    x_train = torch.cat([x_train, x_unl[pick]])
    y_train = torch.cat([y_train, lab[pick]])
    pl_acc = (lab[pick] == y_unl_hidden[pick]).float().mean().item() if pick.any() else float("nan")
    print(f"   added {int(pick.sum())} pseudo-labels, class counts {torch.bincount(lab[pick], minlength=C).tolist()}, "
          f"pseudo-label accuracy {pl_acc:.3f}")

with torch.no_grad():
    train_loss = F.cross_entropy(model(x_lab), y_lab).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(acc, 4), "train_loss": round(train_loss, 4),
                                      "chance_acc": round(1 / C, 4), "majority_rate_labelled": round(400 / 500, 3),
                                      "min_class_recall": round(min(recall), 4),
                                      "final_train_class_share": [round(v, 3) for v in (torch.bincount(y_train, minlength=C) / len(y_train)).tolist()]}))
