# expect:
# allow:
# forbid: *
# evidence: tiny RoBERTa (2 layers, d=32) reaches eval_accuracy 1.00 (eval_loss 0.03) on a 3-class "which marker token occurs most" task (chance 0.33); warm-up + cosine decay, weight decay 0.01, clipping 1.0
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""Sequence classification with a from-config RoBERTa and the HF Trainer.

Each sequence is filler tokens plus a few copies of three "marker" tokens; the label is the marker
that occurs most often. Classic fine-tuning-ish recipe: AdamW, linear warm-up then cosine decay.
"""
import json
import os
import sys
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

from transformers import (RobertaConfig, RobertaForSequenceClassification, Trainer,
                          TrainingArguments, set_seed)

set_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_roberta_")
os.makedirs(LOG_DIR, exist_ok=True)

VOCAB, SEQ, MARKERS = 40, 20, (5, 6, 7)
PAD, BOS = 1, 0


def make_split(n, rng):
    ids = rng.integers(10, VOCAB, size=(n, SEQ))
    labels = np.empty(n, dtype=np.int64)
    for i in range(n):
        counts = rng.multinomial(7, [1 / 3] * 3)
        while counts.max() == np.sort(counts)[-2]:  # break ties
            counts = rng.multinomial(7, [1 / 3] * 3)
        pos = rng.choice(np.arange(1, SEQ), size=counts.sum(), replace=False)
        toks = np.repeat(MARKERS, counts)
        ids[i, pos] = toks
        labels[i] = int(np.argmax(counts))
    ids[:, 0] = BOS
    return ids, labels


class ToyDataset(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids = torch.as_tensor(ids)
        self.labels = torch.as_tensor(labels)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(SEQ, dtype=torch.long),
                "labels": self.labels[i]}


rng = np.random.default_rng(0)
train_ds = ToyDataset(*make_split(1200, rng))
eval_ds = ToyDataset(*make_split(300, rng))

config = RobertaConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                       intermediate_size=64, max_position_embeddings=SEQ + 4, num_labels=3,
                       pad_token_id=PAD, bos_token_id=BOS, eos_token_id=2,
                       hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
model = RobertaForSequenceClassification(config)


def compute_metrics(pred):
    logits, labels = pred
    return {"accuracy": float((np.argmax(logits, -1) == labels).mean())}


args = TrainingArguments(
    output_dir=LOG_DIR,
    num_train_epochs=6,
    per_device_train_batch_size=32,
    per_device_eval_batch_size=100,
    learning_rate=3e-3,
    warmup_steps=20,
    lr_scheduler_type="cosine",
    weight_decay=0.01,
    max_grad_norm=1.0,
    eval_strategy="epoch",
    logging_steps=10,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    seed=0,
    dataloader_num_workers=0,
    disable_tqdm=True,
)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds,
                  compute_metrics=compute_metrics)
train_out = trainer.train()
trainer.save_state()  # writes trainer_state.json (log_history) into output_dir
ev = trainer.evaluate()
last_train = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
metric = {"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
          "train_loss": round(last_train, 4), "chance_acc": 0.3333}
print("CORPUS_METRIC " + json.dumps(metric))
