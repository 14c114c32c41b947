# Fabric loop: tiny GRU tagger that marks which tokens are inside a bracketed span
# of a synthetic token stream ("( a b ) c ( d )" -> 0 1 1 0 0 0 1 0).
# Cosine decay with linear warm-up, AdamW, grad clipping via fabric.clip_gradients,
# loss/accuracy written with Fabric's CSVLogger.
#
# expect:
# allow:
# forbid: *
# evidence: held-out token accuracy 1.00 (val_loss 0.0007) on 400 unseen sequences; majority-tag baseline 0.58
# native-log: metrics.csv
# log-expect:
# log-allow:
import json, math, os, tempfile
import torch
import torch.nn as nn
from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger

torch.set_num_threads(1)
VOCAB = 20          # 0 pad, 1 '(', 2 ')', 3.. words
SEQ = 32


def make_batch(n, g):
    toks = torch.randint(3, VOCAB, (n, SEQ), generator=g)
    tags = torch.zeros(n, SEQ, dtype=torch.long)
    for i in range(n):
        pos = 0
        while pos < SEQ - 3:
            pos += int(torch.randint(0, 4, (1,), generator=g))
            span = int(torch.randint(1, 6, (1,), generator=g))
            if pos + span + 1 >= SEQ:
                break
            toks[i, pos] = 1
            tags[i, pos + 1:pos + span + 1] = 1
            toks[i, pos + span + 1] = 2
            pos += span + 2
    return toks, tags


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.rnn = nn.GRU(32, 48, batch_first=True)
        self.out = nn.Linear(48, 2)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.out(h)


def main():
    fabric = Fabric(accelerator="cpu", devices=1,
                    loggers=CSVLogger(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), name="", version=""))
    fabric.seed_everything(123)
    g = torch.Generator().manual_seed(123)
    xtr, ytr = make_batch(1600, g)
    xva, yva = make_batch(400, g)
    model = Tagger()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=1e-2)
    total, warm = 200, 20
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
    model, opt = fabric.setup(model, opt)
    loader = fabric.setup_dataloaders(torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(xtr, ytr), batch_size=32, shuffle=True))
    lossf = nn.CrossEntropyLoss()
    step = 0
    while step < total:
        for xb, yb in loader:
            model.train()
            loss = lossf(model(xb).reshape(-1, 2), yb.reshape(-1))
            opt.zero_grad()
            fabric.backward(loss)
            fabric.clip_gradients(model, opt, max_norm=1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 10 == 0:
                fabric.log_dict({"train_loss": loss.item(), "lr": sched.get_last_lr()[0]}, step=step)
            if step % 50 == 0 or step == total:
                model.eval()
                with torch.no_grad():
                    lo = model(xva)
                    vl = lossf(lo.reshape(-1, 2), yva.reshape(-1)).item()
                    va = (lo.argmax(-1) == yva).float().mean().item()
                fabric.log_dict({"val_loss": vl, "val_acc": va}, step=step)
            if step == total:
                break
    fabric.logger.finalize("success")
    base = max(yva.float().mean().item(), 1 - yva.float().mean().item())
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                         "train_loss": round(loss.item(), 4), "majority_acc": round(base, 4)}))


main()
