# expect:
# allow:
# forbid: *
# evidence: tiny BERT, marker-count rule, 10% warm-up + cosine, wd 0.01: eval_accuracy 1.000, eval_loss 0.001 (chance 0.5); train loss to ~0.001, eval loss tracks it down
# native-log: hf_out/trainer_state.json
# log-expect:
# log-allow:
"""HF Trainer, tiny BertForSequenceClassification built from a config (no download).
Task: token sequences; label = which of the marker tokens A / B occurs more often.
eval_strategy="steps", warm-up (10%) + cosine, weight_decay, trainer.save_state() writes trainer_state.json."""
import os
import json
import tempfile
import warnings

import numpy as np
import torch
from torch.utils.data import Dataset

from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments, set_seed
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)
set_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hfseq_")
VOCAB, L, A, B = 40, 20, 5, 6


class MarkerCount(Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        ids = rng.integers(7, VOCAB, size=(n, L))
        na = rng.integers(0, 5, size=n)
        nb = rng.integers(0, 5, size=n)
        nb = np.where(nb == na, (nb + 1) % 5, nb)  # no ties
        for i in range(n):
            pos = rng.permutation(L - 1)[: na[i] + nb[i]] + 1
            ids[i, pos[: na[i]]] = A
            ids[i, pos[na[i]:]] = B
        ids[:, 0] = 2  # [CLS]
        self.ids = torch.tensor(ids)
        self.labels = torch.tensor((na > nb).astype(np.int64))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L, dtype=torch.long), "labels": self.labels[i]}


def accuracy(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


def main():
    cfg = BertConfig(vocab_size=VOCAB, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=96, max_position_embeddings=32, num_labels=2,
                     hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    model = BertForSequenceClassification(cfg)
    train_ds, val_ds = MarkerCount(2000, 1), MarkerCount(600, 2)
    args = TrainingArguments(
        output_dir=os.path.join(LOG_DIR, "hf_out"),
        num_train_epochs=3, per_device_train_batch_size=32, per_device_eval_batch_size=200,
        learning_rate=3e-3, warmup_steps=0.1,  # a float < 1 is a ratio of total steps (transformers 5)
         lr_scheduler_type="cosine", weight_decay=0.01,
        eval_strategy="steps", eval_steps=40, logging_steps=10, save_strategy="no",
        report_to="none", disable_tqdm=True, seed=0, use_cpu=True, dataloader_num_workers=0,
    )
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds, compute_metrics=accuracy)
    trainer.train()
    trainer.save_state()
    ev = trainer.evaluate()
    last_train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                         "train_loss": round(last_train_loss, 4), "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
