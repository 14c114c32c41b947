# expect:
# allow:
# forbid: *
# evidence: 1-NN accuracy on 40 identities never seen in training 0.955 (0.465 with the untrained net; chance 0.025)
"""Metric learning for speaker-ID-like feature vectors: an embedding MLP trained with
TripletMarginLoss on semi-hard mined triplets (P classes x K samples per batch),
RMSprop, evaluated by 1-NN accuracy on *unseen* identities (gallery/probe split)."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(15)
torch.set_num_threads(1)

D_IN, N_ID_TRAIN, N_ID_TEST = 40, 500, 40
mix = torch.randn(16, D_IN) / 4


def identities(n_id):
    return torch.randn(n_id, 16)


def draw(protos, per):
    y = torch.arange(len(protos)).repeat_interleave(per)
    z = protos[y] + 0.5 * torch.randn(len(y), 16)
    x = torch.tanh(z @ mix) + 0.1 * torch.randn(len(y), D_IN)  # nonlinear "channel"
    nuisance = torch.randn(len(y), 24)  # session / channel descriptors unrelated to identity
    return torch.cat([x, nuisance], 1), y


Xtr, ytr = draw(identities(N_ID_TRAIN), 10)
Xte, yte = draw(identities(N_ID_TEST), 10)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd


class Embed(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D_IN + 24, 256), nn.BatchNorm1d(256), nn.ReLU(),
                                 nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 32))

    def forward(self, x):
        return F.normalize(self.net(x), dim=1)


def semi_hard_triplets(emb, y, margin=0.3):
    """random positive; hardest negative that is still farther than the positive (semi-hard),
    falling back to the easiest negative when none is."""
    d = torch.cdist(emb, emb)
    same = y[:, None] == y[None, :]
    eye = torch.eye(len(y), dtype=torch.bool)
    pos_cand = (same & ~eye).float()
    pos = torch.multinomial(pos_cand, 1).squeeze(1)
    d_ap = d.gather(1, pos[:, None])
    semi = (~same) & (d > d_ap) & (d < d_ap + margin)
    neg_semi = d.masked_fill(~semi, 1e4).argmin(1)
    neg_easy = d.masked_fill(same, -1.0).argmax(1)
    neg = torch.where(semi.any(1), neg_semi, neg_easy)
    return pos, neg


def knn_acc(model, X, y):
    model.eval()
    with torch.no_grad():
        e = model(X)
    d = torch.cdist(e, e)
    d.fill_diagonal_(1e4)
    return (y[d.argmin(1)] == y).float().mean().item()


model = Embed()
opt = torch.optim.RMSprop(model.parameters(), lr=5e-4, alpha=0.9)
crit = nn.TripletMarginLoss(margin=0.3)
P, K = 16, 8
init_acc = knn_acc(model, Xte, yte)
by_id = [torch.nonzero(ytr == c).squeeze(1) for c in range(N_ID_TRAIN)]

for step in range(1, 501):
    model.train()
    ids = torch.randperm(N_ID_TRAIN)[:P]
    idx = torch.cat([by_id[c][torch.randperm(len(by_id[c]))[:K]] for c in ids])
    emb = model(Xtr[idx])
    pos, neg = semi_hard_triplets(emb.detach(), ytr[idx])
    loss = crit(emb, emb[pos], emb[neg])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0:
        print(f"step {step} triplet_loss {loss.item():.4f} 1nn_acc_unseen_ids {knn_acc(model, Xte, yte):.3f}")

# validation triplet loss on unseen identities, same P x K semi-hard protocol as training
model.eval()
te_by_id = [torch.nonzero(yte == c).squeeze(1) for c in range(N_ID_TEST)]
vls = []
with torch.no_grad():
    for _ in range(20):
        ids = torch.randperm(N_ID_TEST)[:P]
        idx = torch.cat([te_by_id[c][torch.randperm(len(te_by_id[c]))[:K]] for c in ids])
        e = model(Xte[idx])
        pos, neg = semi_hard_triplets(e, yte[idx])
        vls.append(crit(e, e[pos], e[neg]).item())
vl = sum(vls) / len(vls)
va = knn_acc(model, Xte, yte)
tr_acc = knn_acc(model, Xtr, ytr)
print(f"1-NN acc at init was {init_acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_acc": round(va, 4), "val_loss": round(vl, 4), "train_loss": round(loss.item(), 4),
                                     "train_acc": round(tr_acc, 4), "chance_acc": round(1 / N_ID_TEST, 4)}))
