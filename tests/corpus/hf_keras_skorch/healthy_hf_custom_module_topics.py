# expect:
# allow:
# forbid: *
# evidence: 4-topic classifier val_acc 0.9925 (chance 0.25), val_loss 1.07 (epoch 1) -> 0.029 decreasing every epoch, train_loss 0.015
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""The HF Trainer does not need a transformers model: any nn.Module whose forward returns
{"loss", "logits"} works. Here a bag-of-embeddings topic classifier (4 topics; each topic
draws 30% of its tokens from its own 8-token sub-vocabulary) is trained for many epochs:
the train loss goes to ~0 while the held-out loss and accuracy keep improving."""
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers import Trainer, TrainingArguments

torch.set_num_threads(1)
N_TOPICS, VOCAB, LEN = 4, 96, 20


def make_docs(n, seed):
    g = np.random.default_rng(seed)
    topic = g.integers(0, N_TOPICS, size=n)
    docs = g.integers(N_TOPICS * 8, VOCAB, size=(n, LEN))          # background words
    topical = g.random((n, LEN)) < 0.3
    docs = np.where(topical, topic[:, None] * 8 + g.integers(0, 8, size=(n, LEN)), docs)
    return docs, topic


class DocSet(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        d, t = make_docs(n, seed)
        self.d, self.t = torch.tensor(d), torch.tensor(t)

    def __len__(self):
        return len(self.t)

    def __getitem__(self, i):
        return {"input_ids": self.d[i], "labels": self.t[i]}


class BagOfEmbeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 32)
        self.mlp = nn.Sequential(nn.Linear(32, 64), nn.GELU(), nn.Linear(64, N_TOPICS))

    def forward(self, input_ids, labels=None):
        logits = self.mlp(self.emb(input_ids).mean(dim=1))
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = F.cross_entropy(logits, labels)
        return out


def accuracy(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


if __name__ == "__main__":
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="boe_")
    os.makedirs(logdir, exist_ok=True)
    train_set, val_set = DocSet(1500, 100), DocSet(400, 200)
    torch.manual_seed(0)
    model = BagOfEmbeddings()
    args = TrainingArguments(output_dir=os.path.join(logdir, "boe"), num_train_epochs=12,
                             per_device_train_batch_size=50, per_device_eval_batch_size=200,
                             learning_rate=3e-3, warmup_steps=15, lr_scheduler_type="linear",
                             logging_steps=10, eval_strategy="epoch", report_to=[],
                             save_strategy="no", use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=train_set, eval_dataset=val_set,
                      compute_metrics=accuracy)
    trainer.train()
    trainer.state.save_to_json(os.path.join(logdir, "trainer_state.json"))
    ev = trainer.evaluate()
    tr = trainer.evaluate(train_set, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
        "train_loss": round(tr["train_loss"], 4), "train_acc": round(tr["train_accuracy"], 4),
        "chance_acc": 0.25}))
