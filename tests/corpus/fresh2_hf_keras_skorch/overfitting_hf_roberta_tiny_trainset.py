# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (48 train examples, 300 steps) drives train loss to 0.002 while eval_loss rises monotonically 0.70 -> 3.21 and eval_accuracy ends at 0.46 (chance 0.50); control (1200 examples, same 300 steps) ends at eval_loss 0.570 (its best), eval_accuracy 0.73 (train labels 15% noisy, eval clean)
# control: --control
# native-log: trainer_state.json
# log-expect: overfitting
# log-allow: high_variance
"""RoBERTa classifier trained with the HF Trainer on an order task, but with only 48 labelled
examples (someone sub-sampled the data "for a quick run" and forgot). Label = whether token A
appears before token B in the sequence; 15% label noise. Fixed number of optimizer steps.
--control trains the same model for the same number of steps on 1200 examples.
"""
import argparse
import json
import os
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)

from transformers import (RobertaConfig, RobertaForSequenceClassification, Trainer,
                          TrainingArguments, set_seed)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
cli = parser.parse_args()
N_TRAIN = 1200 if cli.control else 48

set_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_overfit_")
os.makedirs(LOG_DIR, exist_ok=True)

VOCAB, SEQ, A, B = 40, 16, 5, 6


def make_split(n, rng, noise):
    ids = rng.integers(10, VOCAB, size=(n, SEQ))
    y = np.zeros(n, dtype=np.int64)
    for i in range(n):
        pa, pb = rng.choice(np.arange(1, SEQ), size=2, replace=False)
        ids[i, pa], ids[i, pb] = A, B
        y[i] = int(pa < pb)
    flip = rng.random(n) < noise
    y[flip] = 1 - y[flip]
    ids[:, 0] = 0
    return ids, y


class ToyDataset(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = torch.as_tensor(ids), torch.as_tensor(y)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.y[i]}


rng = np.random.default_rng(0)
pool_ids, pool_y = make_split(1200, rng, noise=0.15)
eval_ds = ToyDataset(*make_split(400, np.random.default_rng(99), noise=0.0))
train_ds = ToyDataset(pool_ids[:N_TRAIN], pool_y[:N_TRAIN])

config = RobertaConfig(vocab_size=VOCAB, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                       intermediate_size=128, max_position_embeddings=SEQ + 4, num_labels=2,
                       pad_token_id=1, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
model = RobertaForSequenceClassification(config)


def compute_metrics(pred):
    logits, labels = pred
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=LOG_DIR,
    max_steps=300,
    per_device_train_batch_size=16,
    per_device_eval_batch_size=200,
    learning_rate=1e-3,
    warmup_steps=20,
    lr_scheduler_type="cosine",
    weight_decay=0.0,
    max_grad_norm=1.0,
    eval_strategy="steps",
    eval_steps=30,
    logging_steps=10,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    seed=0,
    disable_tqdm=True,
)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds,
                  compute_metrics=compute_metrics)
trainer.train()
trainer.save_state()
ev = trainer.evaluate()
evals = [h for h in trainer.state.log_history if "eval_loss" in h]
last_train = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
metric = {"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
          "best_val_loss": round(min(h["eval_loss"] for h in evals), 4),
          "train_loss": round(float(last_train), 4), "chance_acc": 0.5, "n_train": N_TRAIN}
print("CORPUS_METRIC " + json.dumps(metric))
