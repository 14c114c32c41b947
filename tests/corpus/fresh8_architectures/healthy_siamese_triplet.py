# expect:
# allow:
# forbid: *
# evidence: nearest-centroid retrieval val_acc 0.944 (chance 0.083), train 0.97; val triplet loss 0.017 vs train 0.008 (margin 0.5)
# Siamese embedding net trained with TripletMarginLoss (random in-batch triplets); evaluated by nearest class-centroid
# retrieval on held-out samples. Style: plain functions, no classes.
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
gen = torch.Generator().manual_seed(0)

N_CLASSES, DIM_IN, DIM_EMB = 12, 32, 16
protos = torch.randn(N_CLASSES, 8, generator=gen)
mix = torch.randn(8, DIM_IN, generator=gen)


def draw(n):
    y = torch.randint(0, N_CLASSES, (n,), generator=gen)
    latent = protos[y] + 0.45 * torch.randn(n, 8, generator=gen)
    x = torch.tanh(latent @ mix / 2) + 0.3 * torch.randn(n, DIM_IN, generator=gen)
    return x, y


x_train, y_train = draw(4000)
x_val, y_val = draw(1000)

embed = nn.Sequential(nn.Linear(DIM_IN, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, DIM_EMB))
criterion = nn.TripletMarginLoss(margin=0.5)
optim = torch.optim.Adam(embed.parameters(), lr=1e-3)


def sample_triplets(x, y, n):
    a = torch.randint(0, len(y), (n,))
    pos = torch.empty(n, dtype=torch.long)
    neg = torch.empty(n, dtype=torch.long)
    by_class = [torch.nonzero(y == c).squeeze(1) for c in range(N_CLASSES)]
    for i, ai in enumerate(a.tolist()):
        c = y[ai].item()
        pool = by_class[c]
        pos[i] = pool[torch.randint(len(pool), (1,))]
        nc = (c + torch.randint(1, N_CLASSES, (1,)).item()) % N_CLASSES
        pool = by_class[nc]
        neg[i] = pool[torch.randint(len(pool), (1,))]
    return x[a], x[pos], x[neg]


def emb(x):
    return F.normalize(embed(x), dim=1)


def centroid_acc(xq, yq):
    with torch.no_grad():
        e_tr = emb(x_train)
        cents = F.normalize(torch.stack([e_tr[y_train == c].mean(0) for c in range(N_CLASSES)]), dim=1)
        return ((emb(xq) @ cents.T).argmax(1) == yq).float().mean().item()


val_trip = sample_triplets(x_val, y_val, 2000)
train_trip_eval = sample_triplets(x_train, y_train, 2000)
for step in range(1, 801):
    a, p, n = sample_triplets(x_train, y_train, 64)
    loss = criterion(emb(a), emb(p), emb(n))
    optim.zero_grad()
    loss.backward()
    optim.step()
    if step % 200 == 0:
        with torch.no_grad():
            vl = criterion(*(emb(t) for t in val_trip)).item()
            tl = criterion(*(emb(t) for t in train_trip_eval)).item()
        print(f"step {step}: train_triplet {tl:.4f} val_triplet {vl:.4f} val_centroid_acc {centroid_acc(x_val, y_val):.3f}")

va, ta = centroid_acc(x_val, y_val), centroid_acc(x_train, y_train)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "train_loss": round(tl, 4), "val_acc": round(va, 4),
                                      "train_acc": round(ta, 4), "chance_acc": round(1 / N_CLASSES, 4)}))
