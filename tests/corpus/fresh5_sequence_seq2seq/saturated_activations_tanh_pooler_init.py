# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted (Linear init std=1.0): 54% of tanh pooler/MLP outputs have |a|>0.99, val_acc 0.451 below majority 0.471, val_loss 2.60; control (default init): 1.2% saturated, val_acc 0.875, val_loss 0.30
# control: --control
# Sentence-polarity classifier: embeddings -> 1-layer bidirectional GRU -> mean pool ->
# BERT-style tanh "pooler" -> tanh MLP -> 3-way softmax (negative / neutral / positive,
# decided by the summed lexicon polarity of the words, with "not" flipping the next word).
# Planted: a hand-written init_weights() uses nn.init.normal_(std=1.0) for every nn.Linear
# (the std meant for embeddings), so the pooler and MLP pre-activations have std ~10 and the tanh
# units sit at +-1. --control: keeps the PyTorch default (kaiming-uniform) for the Linear layers;
# the embedding init is unchanged.
import argparse, json
import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
opt_args = parser.parse_args()
torch.manual_seed(13)
torch.set_num_threads(1)

V, T, NOT = 80, 14, 1
polarity = torch.zeros(V)
polarity[2:22] = 1.0
polarity[22:42] = -1.0


def make(n):
    x = torch.randint(2, V, (n, T))
    neg = torch.rand(n, T) < 0.1
    x[neg] = NOT
    nxt = torch.roll(x, -1, 1)
    flip = torch.roll(neg, 1, 1)
    flip[:, 0] = False
    pol = polarity[x] * torch.where(flip, -1.0, 1.0)
    s = pol.sum(1)
    y = torch.where(s > 1, 2, torch.where(s < -1, 0, 1))
    return x, y


class PolarityNet(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.gru = nn.GRU(d, d, batch_first=True, bidirectional=True)
        self.pooler = nn.Linear(2 * d, 2 * d)
        self.mlp = nn.Sequential(nn.Linear(2 * d, d), nn.Tanh(), nn.Linear(d, d), nn.Tanh())
        self.out = nn.Linear(d, 3)
        self.init_weights()

    def init_weights(self):
        nn.init.normal_(self.emb.weight, std=1.0)
        if not opt_args.control:
            for m in self.modules():
                if isinstance(m, nn.Linear):
                    nn.init.normal_(m.weight, std=1.0)
                    nn.init.zeros_(m.bias)

    def forward(self, x, return_acts=False):
        h, _ = self.gru(self.emb(x))
        pooled = torch.tanh(self.pooler(h.mean(1)))
        z1 = self.mlp[1](self.mlp[0](pooled))
        z = self.mlp[3](self.mlp[2](z1))
        return (self.out(z), torch.cat([pooled, z1, z], 1)) if return_acts else self.out(z)


xtr, ytr = make(3000)
xva, yva = make(800)
model = PolarityNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(6):
    model.train()
    for idx in torch.randperm(len(xtr)).split(50):
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        optimizer.zero_grad(); loss.backward(); optimizer.step()
    model.eval()
    with torch.no_grad():
        vo, pooled = model(xva, return_acts=True)
        vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
        sat = (pooled.abs() > 0.99).float().mean().item()
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.3f} tanh units |a|>0.99: {sat:.2%}")

with torch.no_grad():
    tl = F.cross_entropy(model(xtr[:800]), ytr[:800]).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4),
                                     "tanh_saturated_frac": round(sat, 4)}))
