# expect:
# allow:
# forbid: *
# evidence: val_acc 1.000, val_loss 0.0003 on 500 held-out sequences (chance 0.50); per-step loss in the JSONL log is noisy (batch 16)
# native-log: train_log.jsonl
# log-expect:
# log-allow:
"""Tiny sequence task: does token 1 appear more often than token 2 in a
length-16 sequence over a 5-token vocab? A hand-written GRU-style recurrence
is compiled with torch.jit.script. Small batches, so the per-step loss in
the JSONL log is noisy."""
import json
import os
import tempfile
import torch
import torch.nn as nn

torch.manual_seed(123)
torch.set_num_threads(1)

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
log_path = os.path.join(log_dir, "train_log.jsonl")

V, T = 5, 16


def make(n, gen):
    while True:
        seq = torch.randint(0, V, (n * 2, T), generator=gen)
        c1, c2 = (seq == 1).sum(1), (seq == 2).sum(1)
        keep = c1 != c2
        seq, lab = seq[keep][:n], (c1 > c2)[keep][:n].long()
        if len(seq) == n:
            return seq, lab


class CountGRU(nn.Module):
    def __init__(self, vocab: int, hidden: int):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.gates = nn.Linear(2 * hidden, 2 * hidden)
        self.cand = nn.Linear(2 * hidden, hidden)
        self.out = nn.Linear(hidden, 2)
        self.hidden = hidden

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.emb(tokens)
        h = torch.zeros(tokens.size(0), self.hidden, device=tokens.device)
        for t in range(x.size(1)):
            xt = x[:, t]
            zr = torch.sigmoid(self.gates(torch.cat([xt, h], 1)))
            z, r = zr.chunk(2, 1)
            c = torch.tanh(self.cand(torch.cat([xt, r * h], 1)))
            h = (1 - z) * h + z * c
        return self.out(h)


g = torch.Generator().manual_seed(0)
Xtr, ytr = make(2000, g)
Xva, yva = make(500, g)

model = torch.jit.script(CountGRU(V, 32))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
ce = nn.CrossEntropyLoss()
step = 0
with open(log_path, "w") as log:
    for epoch in range(8):
        model.train()
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(perm), 16):
            b = perm[i:i + 16]
            loss = ce(model(Xtr[b]), ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 5 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch, "train_loss": round(loss.item(), 5),
                                      "lr": opt.param_groups[0]["lr"]}) + "\n")
        model.eval()
        with torch.no_grad():
            o = model(Xva)
            vl = ce(o, yva).item()
            va = (o.argmax(1) == yva).float().mean().item()
            trl = ce(model(Xtr), ytr).item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": round(vl, 5), "val_acc": round(va, 4),
                              "train_loss_full": round(trl, 5)}) + "\n")
        print(f"epoch {epoch} train_loss {trl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4),
                                     "chance_acc": 0.5}))
