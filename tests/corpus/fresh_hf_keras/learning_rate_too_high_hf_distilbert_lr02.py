# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, high_bias, dead_units, saturated_activations
# forbid: *
# evidence: planted (AdamW lr=0.2): loss jumps 1.13 -> 1.79 at step 10 then sits at ln3, val_acc 0.323, val_loss 1.103 (chance 0.333); control (lr=1e-3): val_acc 1.0, val_loss 0.302
# control: --control
# native-log: trainer_state.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients, non_finite, high_bias
"""Tiny DistilBERT (config-built) for intent classification over synthetic "utterances".
Someone copied lr=0.2 from an SGD recipe into the AdamW-based Trainer. --control uses 1e-3."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
from transformers import (DistilBertConfig, DistilBertForSequenceClassification,  # noqa: E402
                          Trainer, TrainingArguments, set_seed)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="use a sane learning rate (1e-3)")
cli = parser.parse_args()
LR = 1e-3 if cli.control else 0.2

set_seed(5)
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_distilbert_intent_")
os.makedirs(OUT, exist_ok=True)

SEQ, N_INTENTS = 10, 3
# each intent has a few trigger words; the rest of the vocabulary is shared filler
TRIGGERS = {0: [2, 3, 4, 5], 1: [6, 7, 8, 9], 2: [10, 11, 12, 13]}
FILLER = np.arange(14, 70)
VOCAB = 70
rng = np.random.default_rng(5)


def utterances(n):
    rows = []
    for _ in range(n):
        intent = int(rng.integers(N_INTENTS))
        k = int(rng.integers(1, 4))
        toks = np.concatenate([rng.choice(TRIGGERS[intent], k), rng.choice(FILLER, SEQ - 1 - k)])
        rng.shuffle(toks)
        rows.append({"input_ids": [1] + toks.tolist(), "attention_mask": [1] * SEQ,
                     "labels": intent})
    return rows


train_rows, val_rows = utterances(900), utterances(300)

config = DistilBertConfig(vocab_size=VOCAB, dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                          max_position_embeddings=SEQ, num_labels=N_INTENTS)
model = DistilBertForSequenceClassification(config)


def collate(rows):
    return {k: torch.tensor([r[k] for r in rows]) for k in rows[0]}


def compute_metrics(pred):
    logits, labels = pred
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=OUT,
    num_train_epochs=5,
    per_device_train_batch_size=32,
    per_device_eval_batch_size=150,
    learning_rate=LR,
    warmup_steps=0.05,
    lr_scheduler_type="linear",
    eval_strategy="steps",
    eval_steps=20,
    logging_steps=5,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    disable_tqdm=True,
    seed=5,
)
trainer = Trainer(model=model, args=args, train_dataset=train_rows, eval_dataset=val_rows,
                  data_collator=collate, compute_metrics=compute_metrics)
trainer.train()
trainer.save_state()
final = trainer.evaluate()
last_train_loss = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(final["eval_loss"], 4), "val_acc": round(final["eval_accuracy"], 4),
    "train_loss": round(last_train_loss, 4), "chance_acc": round(1 / N_INTENTS, 4)}))
