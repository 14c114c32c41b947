# expect:
# allow:
# forbid: *
# evidence: val_acc 0.97, val_loss 0.129 on clean held-out labels (chance 0.5); train acc 0.93 on 12%-noisy training labels (the noise floor)
# native-log: convtext/trainer_state.json
# log-expect:
# log-allow:
"""A plain nn.Module (embedding -> 1-D conv -> max-pool -> linear; not a PreTrainedModel) trained
by the HF Trainer, which only needs forward(**batch) to return {"loss", "logits"}. The task: does
the sequence contain the bigram (7, 9) anywhere? 12% of the training labels are flipped (noisy
annotation), batches are small (8) so the logged loss is noisy, constant lr after a warm-up,
gradient clipping at 1.0. Held-out labels are clean: the model reaches near-perfect val
accuracy while the training loss stays at the noise floor.
"""
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from transformers import Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()

VOCAB, SEQ = 30, 16


class BigramDataset(torch.utils.data.Dataset):
    def __init__(self, n, rng, flip=0.0):
        self.items = []
        for _ in range(n):
            ids = rng.integers(1, VOCAB, size=SEQ)
            # remove accidental bigrams, then plant one in half of the sequences
            for i in range(SEQ - 1):
                if ids[i] == 7 and ids[i + 1] == 9:
                    ids[i + 1] = 10
            y = int(rng.random() < 0.5)
            if y:
                p = int(rng.integers(SEQ - 1))
                ids[p], ids[p + 1] = 7, 9
            else:  # distractors: the two tokens appear, but not adjacent in that order
                ids[int(rng.integers(SEQ))] = 9
                ids[int(rng.integers(SEQ))] = 7
                for i in range(SEQ - 1):
                    if ids[i] == 7 and ids[i + 1] == 9:
                        ids[i] = 8
            if rng.random() < flip:
                y = 1 - y
            self.items.append({"input_ids": torch.tensor(ids, dtype=torch.long),
                               "labels": torch.tensor(y, dtype=torch.long)})

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


class ConvText(nn.Module):
    def __init__(self, vocab=VOCAB, emb=24, ch=48):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.conv = nn.Conv1d(emb, ch, kernel_size=3, padding=1)
        self.head = nn.Linear(ch, 2)

    def forward(self, input_ids, labels=None):
        h = F.relu(self.conv(self.emb(input_ids).transpose(1, 2)))
        logits = self.head(h.max(dim=2).values)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = F.cross_entropy(logits, labels)
        return out


def compute_metrics(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


def main():
    torch.set_num_threads(1)
    torch.manual_seed(3)
    rng = np.random.default_rng(3)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="convtext_")
    out_dir = os.path.join(log_dir, "convtext")

    train_ds, val_ds = BigramDataset(800, rng, flip=0.12), BigramDataset(400, rng)
    args = TrainingArguments(
        output_dir=out_dir, num_train_epochs=5, per_device_train_batch_size=8,
        per_device_eval_batch_size=400, learning_rate=3e-3, lr_scheduler_type="constant_with_warmup",
        warmup_steps=20, max_grad_norm=1.0, eval_strategy="steps", eval_steps=50, logging_steps=10,
        save_strategy="no", report_to="none", use_cpu=True, seed=3, disable_tqdm=True)
    trainer = Trainer(model=ConvText(), args=args, train_dataset=train_ds, eval_dataset=val_ds,
                      compute_metrics=compute_metrics)
    trainer.train()
    trainer.state.save_to_json(os.path.join(out_dir, "trainer_state.json"))

    ev = trainer.evaluate(val_ds)
    tr = trainer.evaluate(train_ds, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
        "train_loss_noisy_labels": round(tr["train_loss"], 4),
        "train_acc_noisy_labels": round(tr["train_accuracy"], 4), "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
