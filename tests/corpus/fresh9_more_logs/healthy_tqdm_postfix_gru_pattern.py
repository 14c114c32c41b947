# expect:
# allow:
# forbid: *
# evidence: GRU (max-pooled states) detects the bigram "3 7" in random token sequences, Adam 4e-3, 9 epochs: train_loss 0.001, val_loss 0.001, val_acc 1.00 (majority 0.51)
# native-log: stdout_capture.log
# log-expect:
# log-allow:
# `python train.py > stdout_capture.log 2>&1` of a tqdm loop: every epoch is one progress bar whose
# refreshes are separated by '\r', with set_postfix(loss=..., val_loss=..., val_acc=...) at the end.
import json, os, sys, tempfile, time
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(55)

V, T = 12, 20


def batch_data(n, g):
    """label 1 iff token 3 is immediately followed by token 7 somewhere in the sequence"""
    x = torch.randint(0, V, (n, T), generator=g)
    y = torch.zeros(n, dtype=torch.long)
    want = torch.rand(n, generator=g) < 0.5
    for i in range(n):
        s = ((x[i, :-1] == 3) & (x[i, 1:] == 7)).nonzero()
        if want[i] and len(s) == 0:
            j = int(torch.randint(0, T - 1, (1,), generator=g))
            x[i, j], x[i, j + 1] = 3, 7
        elif not want[i]:
            for k in s.flatten().tolist():
                x[i, k + 1] = 8
        y[i] = int(((x[i, :-1] == 3) & (x[i, 1:] == 7)).any())
    return x, y


class GRUTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 16)
        self.rnn = nn.GRU(16, 48, batch_first=True)
        self.out = nn.Linear(48, 2)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.out(h.max(1).values)


def bar(desc, n, total, elapsed, postfix):
    frac = n / total
    filled = int(10 * frac)
    b = "█" * filled + ("▏" if filled < 10 else "") + " " * (9 - filled)
    rate = n / elapsed if elapsed > 0 else 0.0
    rem = (total - n) / rate if rate > 0 else 0
    fmt = lambda s: f"{int(s) // 60:02d}:{int(s) % 60:02d}"
    pf = "" if not postfix else ", " + ", ".join(f"{k}={v}" for k, v in postfix.items())
    return f"{desc}: {100 * frac:3.0f}%|{b[:10]}| {n}/{total} [{fmt(elapsed)}<{fmt(rem)}, {rate:5.2f}it/s{pf}]"


g = torch.Generator().manual_seed(55)
xtr, ytr = batch_data(2400, g)
xva, yva = batch_data(600, g)
model = GRUTagger()
opt = torch.optim.Adam(model.parameters(), lr=4e-3)
crit = nn.CrossEntropyLoss()
log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "stdout_capture.log")
os.makedirs(os.path.dirname(log_path), exist_ok=True)
cap = open(log_path, "w")
EPOCHS, BS = 9, 64
nb = (len(xtr) + BS - 1) // BS
for ep in range(EPOCHS):
    t0 = time.time()
    model.train()
    desc = f"Epoch {ep + 1}/{EPOCHS}"
    cap.write(bar(desc, 0, nb, 0, None))
    run_loss = None
    for i, idx in enumerate(torch.randperm(len(xtr)).split(BS), 1):
        loss = crit(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        run_loss = loss.item() if run_loss is None else 0.9 * run_loss + 0.1 * loss.item()
        if i % 10 == 0 and i < nb:
            cap.write("\r" + bar(desc, i, nb, time.time() - t0, {"loss": f"{run_loss:.3f}"}))
    model.eval()
    with torch.no_grad():
        o = model(xva)
        vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    final = bar(desc, nb, nb, time.time() - t0, {"loss": f"{run_loss:.3f}", "val_loss": f"{vl:.3f}", "val_acc": f"{va:.3f}"})
    cap.write("\r" + final + "\n")
    print(final)
cap.close()
with torch.no_grad():
    tl = crit(model(xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 4)}))
