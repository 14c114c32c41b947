# expect:
# forbid: *
# evidence: 3-class marker-count task (chance 0.333): val_loss 0.184 -> 0.0038, val_acc 1.0 from epoch 4 on, train_loss 0.0018
# native-log: history.jsonl
# log-expect:
"""GRU sequence classifier, custom ignite Engine, gradient clipping inside the update function,
own JSON-lines history (step, train_loss / val_loss, val_acc) written from event handlers.
Task: which of 3 marker tokens occurs most often in a random token sequence."""
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Engine, Events
from ignite.metrics import Accuracy, Loss, RunningAverage

VOCAB, LEN, N_CLASSES = 12, 16, 3


def make_split(n, g):
    seq = torch.randint(3, VOCAB, (n, LEN), generator=g)             # background tokens 3..11
    y = torch.randint(0, N_CLASSES, (n,), generator=g)
    for i in range(n):                                                # markers 0,1,2; the label wins
        counts = torch.randint(0, 3, (N_CLASSES,), generator=g)
        counts[y[i]] = int(counts.max()) + 1 + int(torch.randint(0, 2, (1,), generator=g))
        pos = torch.randperm(LEN, generator=g)[: int(counts.sum())]
        seq[i, pos] = torch.repeat_interleave(torch.arange(N_CLASSES), counts)
    return seq, y


class GRUClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 16)
        self.gru = nn.GRU(16, 48, batch_first=True)
        self.head = nn.Linear(48, N_CLASSES)

    def forward(self, tokens):
        _, h = self.gru(self.emb(tokens))
        return self.head(h[-1])


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make_split(1600, g)
    xva, yva = make_split(400, g)
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=400)

    model = GRUClassifier()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)

    def update(engine, batch):
        model.train()
        tokens, labels = batch
        opt.zero_grad()
        loss = F.cross_entropy(model(tokens), labels)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    def evaluate(engine, batch):
        model.eval()
        with torch.no_grad():
            return model(batch[0]), batch[1]

    trainer, evaluator = Engine(update), Engine(evaluate)
    RunningAverage(output_transform=lambda x: x).attach(trainer, "loss_avg")
    Accuracy().attach(evaluator, "acc")
    Loss(F.cross_entropy).attach(evaluator, "loss")

    out = open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "history.jsonl"), "w")

    @trainer.on(Events.ITERATION_COMPLETED(every=5))
    def _train_log(engine):
        out.write(json.dumps({"step": engine.state.iteration, "train_loss": round(engine.state.output, 6)}) + "\n")

    @trainer.on(Events.EPOCH_COMPLETED)
    def _val_log(engine):
        evaluator.run(val_dl)
        m = evaluator.state.metrics
        out.write(json.dumps({"step": engine.state.iteration, "val_loss": round(m["loss"], 6),
                              "val_acc": round(m["acc"], 6)}) + "\n")
        print(f"epoch {engine.state.epoch} | train(avg) {engine.state.metrics['loss_avg']:.3f} | "
              f"val {m['loss']:.3f} / {m['acc']:.3f}")

    trainer.run(train_dl, max_epochs=10)
    out.close()

    model.eval()
    with torch.no_grad():
        train_loss = F.cross_entropy(model(xtr), ytr).item()
    m = evaluator.state.metrics
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["acc"], 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.3333}))


if __name__ == "__main__":
    main()
