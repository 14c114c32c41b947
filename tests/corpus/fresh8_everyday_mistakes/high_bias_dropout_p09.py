# expect: high_bias
# allow: non_convergence, overfitting
# forbid: *
# evidence: planted (Dropout p=0.9): train_loss (eval mode) 1.028, val_loss 1.038, val_acc 0.763 after 15 epochs; control (p=0.1) train_loss 0.144, val_loss 0.268, val_acc 0.893 (majority 0.239)
# control: --control
"""Someone read "dropout 0.9" (keep-probability, TF1 style) and wrote nn.Dropout(p=0.9): 90% of the
hidden units are zeroed every step and the network underfits badly."""
import argparse
import json
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="use p=0.1 (what was meant)")
args = parser.parse_args()
P_DROP = 0.1 if args.control else 0.9

torch.manual_seed(19)
torch.set_num_threads(1)


class Classifier(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(20, 128), nn.ReLU(), nn.Dropout(p),
            nn.Linear(128, 128), nn.ReLU(), nn.Dropout(p),
            nn.Linear(128, 5),
        )
        self.loss = nn.CrossEntropyLoss()

    def forward(self, x, y=None):
        logits = self.net(x)
        return logits if y is None else (logits, self.loss(logits, y))


g = torch.Generator().manual_seed(190)
A = torch.randn(20, 8, generator=g) / 20 ** 0.5
B = torch.randn(8, 5, generator=g)
X = torch.randn(5000, 20, generator=g)
Y = (torch.tanh(X @ A) @ B).argmax(1)
Xtr, Ytr, Xva, Yva = X[:4000], Y[:4000], X[4000:], Y[4000:]

clf = Classifier(P_DROP)
opt = torch.optim.Adam(clf.parameters(), lr=1e-3)
for epoch in range(15):
    clf.train()
    perm = torch.randperm(4000)
    s = 0.0
    for i in range(0, 4000, 64):
        j = perm[i:i + 64]
        _, loss = clf(Xtr[j], Ytr[j])
        opt.zero_grad(); loss.backward(); opt.step()
        s += loss.item()
    clf.eval()
    with torch.no_grad():
        logits, vl = clf(Xva, Yva)
        va = (logits.argmax(1) == Yva).float().mean().item()
        _, tl_eval = clf(Xtr, Ytr)
    print(f"epoch {epoch} p={P_DROP} train(dropout on) {s / 63:.4f} train(eval) {tl_eval.item():.4f} val {vl.item():.4f} acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl.item(), 4), "val_acc": round(va, 4), "train_loss": round(tl_eval.item(), 4),
                                      "chance_acc": round(Yva.bincount().max().item() / 1000, 3)}))
