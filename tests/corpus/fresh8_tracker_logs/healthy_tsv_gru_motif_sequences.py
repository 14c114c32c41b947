# expect:
# allow:
# forbid: *
# evidence: motif task (chance 0.25): eval_acc 1.000 from epoch 3, eval_loss 0.0021, train_loss 0.0021 after 10 epochs
# native-log: log.tsv
# log-expect:
# log-allow:
# Sequence classification: which of 4 3-token motifs is planted in a random token sequence.
# Embedding + GRU + linear head, Adam, grad clipping, linear lr decay. Tab-separated log.
import json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(44)
torch.set_num_threads(1)
VOCAB, L = 12, 16
MOTIFS = torch.tensor([[1, 2, 3], [3, 2, 1], [4, 4, 5], [5, 6, 4]])

def make(n):
    x = torch.randint(7, VOCAB, (n, L))
    y = torch.randint(0, 4, (n,))
    pos = torch.randint(0, L - 3, (n,))
    for i in range(n):
        x[i, pos[i]:pos[i] + 3] = MOTIFS[y[i]]
    return x, y

Xtr, Ytr = make(1500)
Xva, Yva = make(500)

class MotifNet(nn.Module):
    def __init__(self, vocab, emb=16, hid=48, n_cls=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.gru = nn.GRU(emb, hid, batch_first=True)
        self.fc = nn.Linear(hid, n_cls)
    def forward(self, x):
        _, h = self.gru(self.emb(x))
        return self.fc(h[-1])

net = MotifNet(VOCAB)
EPOCHS = 10
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=1.0, end_factor=0.05, total_iters=EPOCHS)
path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "log.tsv")
with open(path, "w") as fh:
    fh.write("epoch\tlr\ttrain_loss\ttrain_acc\teval_loss\teval_acc\n")
    for ep in range(1, EPOCHS + 1):
        net.train(); tl = ta = 0.0
        for b in torch.randperm(len(Xtr)).split(64):
            out = net(Xtr[b]); loss = F.cross_entropy(out, Ytr[b])
            opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(net.parameters(), 5.0); opt.step()
            tl += loss.item() * len(b); ta += (out.argmax(1) == Ytr[b]).sum().item()
        lr = sched.get_last_lr()[0]; sched.step()
        net.eval()
        with torch.no_grad():
            o = net(Xva); el = F.cross_entropy(o, Yva).item(); ea = (o.argmax(1) == Yva).float().mean().item()
        tl, ta = tl / len(Xtr), ta / len(Xtr)
        fh.write(f"{ep}\t{lr:.6f}\t{tl:.5f}\t{ta:.4f}\t{el:.5f}\t{ea:.4f}\n")
        print(f"{ep}\t{lr:.6f}\t{tl:.5f}\t{ta:.4f}\t{el:.5f}\t{ea:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": el, "val_acc": ea, "train_loss": tl, "chance_acc": 0.25}))
