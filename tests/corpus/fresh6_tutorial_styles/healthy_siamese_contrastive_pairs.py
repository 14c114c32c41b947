# expect:
# allow:
# forbid: *
# evidence: siamese MLP + contrastive loss; same/different accuracy on pairs of UNSEEN identities 0.959 (train pairs 0.989, chance 0.5)
# Siamese network with contrastive loss (Hadsell et al. 2006), as in the classic "siamese MNIST" tutorials,
# on generated "identities": each identity is a prototype in 40-d seen through random nuisance transforms.
# Verification is tested on pairs from identities never seen in training.
import json
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(0)
random.seed(0)

D = 40
N_ID_TRAIN, N_ID_TEST, PER_ID = 400, 50, 10
nuisance = torch.randn(6, D)             # shared nuisance directions (pose, lighting, ...)


def make_identities(n_id):
    protos = torch.randn(n_id, D)
    xs, ids = [], []
    for k in range(n_id):
        coef = torch.randn(PER_ID, 6)
        xs.append(protos[k] + coef @ nuisance + 0.3 * torch.randn(PER_ID, D))
        ids += [k] * PER_ID
    return torch.cat(xs), torch.tensor(ids)


Xtr, Itr = make_identities(N_ID_TRAIN)
Xte, Ite = make_identities(N_ID_TEST)


class SiameseDataset(Dataset):
    def __init__(self, X, ids, n_pairs, seed):
        rng = random.Random(seed)
        by_id = {}
        for i, k in enumerate(ids.tolist()):
            by_id.setdefault(k, []).append(i)
        keys = list(by_id)
        self.pairs = []
        for _ in range(n_pairs):
            if rng.random() < 0.5:
                k = rng.choice(keys)
                a, b = rng.sample(by_id[k], 2)
                self.pairs.append((a, b, 0.0))          # 0 = same
            else:
                k1, k2 = rng.sample(keys, 2)
                self.pairs.append((rng.choice(by_id[k1]), rng.choice(by_id[k2]), 1.0))
        self.X = X

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, i):
        a, b, y = self.pairs[i]
        return self.X[a], self.X[b], torch.tensor(y)


class SiameseNetwork(nn.Module):
    def __init__(self):
        super(SiameseNetwork, self).__init__()
        self.fc = nn.Sequential(nn.Linear(D, 128), nn.ReLU(inplace=True),
                                nn.Linear(128, 64), nn.ReLU(inplace=True),
                                nn.Linear(64, 16))

    def forward_once(self, x):
        return self.fc(x)

    def forward(self, input1, input2):
        return self.forward_once(input1), self.forward_once(input2)


class ContrastiveLoss(torch.nn.Module):
    def __init__(self, margin=2.0):
        super(ContrastiveLoss, self).__init__()
        self.margin = margin

    def forward(self, output1, output2, label):
        euclidean_distance = F.pairwise_distance(output1, output2, keepdim=True).squeeze(1)
        loss_contrastive = torch.mean((1 - label) * torch.pow(euclidean_distance, 2) +
                                      label * torch.pow(torch.clamp(self.margin - euclidean_distance, min=0.0), 2))
        return loss_contrastive


train_dataloader = DataLoader(SiameseDataset(Xtr, Itr, 6000, 1), shuffle=True, batch_size=64)
test_set = SiameseDataset(Xte, Ite, 2000, 2)
thr_set = SiameseDataset(Xtr, Itr, 2000, 3)

net = SiameseNetwork()
criterion = ContrastiveLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.0005)


def pair_tensors(ds):
    a = torch.stack([ds.X[p[0]] for p in ds.pairs]); b = torch.stack([ds.X[p[1]] for p in ds.pairs])
    y = torch.tensor([p[2] for p in ds.pairs])
    return a, b, y


A_te, B_te, y_te = pair_tensors(test_set)
A_th, B_th, y_th = pair_tensors(thr_set)


def verification(a, b, y, thr=None):
    with torch.no_grad():
        o1, o2 = net(a, b)
        d = F.pairwise_distance(o1, o2)
        if thr is None:   # pick the threshold on training pairs
            cands = torch.linspace(0, 2.0, 81)
            accs = torch.stack([((d > c).float() == y).float().mean() for c in cands])
            thr = cands[accs.argmax()].item()
        acc = ((d > thr).float() == y).float().mean().item()
        loss = criterion(o1, o2, y).item()
    return acc, thr, loss


counter = []
loss_history = []
iteration_number = 0
for epoch in range(12):
    for i, (img0, img1, label) in enumerate(train_dataloader, 0):
        optimizer.zero_grad()
        output1, output2 = net(img0, img1)
        loss_contrastive = criterion(output1, output2, label)
        loss_contrastive.backward()
        optimizer.step()
        if i % 40 == 0:
            iteration_number += 40
            counter.append(iteration_number)
            loss_history.append(loss_contrastive.item())
    tr_acc, thr, tr_loss = verification(A_th, B_th, y_th)
    te_acc, _, te_loss = verification(A_te, B_te, y_te, thr)
    print("Epoch number {}\n Current loss {:.4f}  train-pair acc {:.3f}  unseen-identity pair acc {:.3f} (thr {:.2f})".format(
        epoch, loss_contrastive.item(), tr_acc, te_acc, thr))

print("CORPUS_METRIC " + json.dumps({"val_loss": round(te_loss, 4), "val_acc": round(te_acc, 4),
                                     "train_loss": round(tr_loss, 4), "train_acc": round(tr_acc, 4), "chance_acc": 0.5}))
