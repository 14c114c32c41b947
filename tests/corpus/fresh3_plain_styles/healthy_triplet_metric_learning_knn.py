# expect:
# allow:
# forbid: *
# evidence: val 1-NN retrieval acc 0.994 over 20 identities (chance 0.05; raw-feature 1-NN 0.982); batch-hard triplet loss -> ~0
"""Metric learning: an MLP embeds 32-d vectors into an L2-normalised 16-d space, trained with
TripletMarginLoss (margin 0.2) on online batch-hard triplets drawn from 20 identities.
Evaluation is 1-nearest-neighbour retrieval accuracy on held-out samples against a gallery of training embeddings. The triplet loss
falls to ~0 once every hard triplet satisfies the margin -- normal for a converged run.
"""
import json

import torch
from torch import nn
from torch.nn import functional as F


def make_data(n, g, protos, warp):
    y = torch.randint(0, protos.shape[0], (n,), generator=g)
    x = protos[y] + 0.7 * torch.randn(n, 32, generator=g)
    return torch.tanh(x @ warp), y


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    protos = torch.randn(20, 32, generator=g)
    warp = torch.randn(32, 32, generator=g) / 4
    xtr, ytr = make_data(3000, g, protos, warp)
    xva, yva = make_data(1000, g, protos, warp)
    net = nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 16))
    embed = lambda x: F.normalize(net(x), dim=1)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    crit = nn.TripletMarginLoss(margin=0.2)
    for epoch in range(12):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            e, y = embed(xtr[idx]), ytr[idx]
            d = torch.cdist(e, e)
            same = y[:, None] == y[None, :]
            pos_d = d.masked_fill(~same | torch.eye(len(y), dtype=torch.bool), -1)
            neg_d = d.masked_fill(same, 1e9)
            has_pos = pos_d.max(1).values > 0
            p_idx, n_idx = pos_d.argmax(1), neg_d.argmin(1)
            a = has_pos.nonzero().squeeze(1)
            loss = crit(e[a], e[p_idx[a]], e[n_idx[a]])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            gal, q = embed(xtr), embed(xva)
            acc = (ytr[torch.cdist(q, gal).argmin(1)] == yva).float().mean().item()
        print(f"epoch {epoch} triplet_loss {loss.item():.4f} val_1nn_acc {acc:.4f}")
    with torch.no_grad():
        gal, q = embed(xtr), embed(xva)
        acc = (ytr[torch.cdist(q, gal).argmin(1)] == yva).float().mean().item()
        raw_acc = (ytr[torch.cdist(xva, xtr).argmin(1)] == yva).float().mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_1nn_acc": round(acc, 4), "raw_feature_1nn_acc": round(raw_acc, 4),
                                         "final_triplet_loss": round(loss.item(), 4), "chance_acc": 0.05}))


if __name__ == "__main__":
    main()
