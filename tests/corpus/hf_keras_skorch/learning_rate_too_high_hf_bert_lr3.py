# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite
# forbid: *
# evidence: planted (AdamW lr=3) val_acc 0.46 (chance 0.50), val_loss 0.699, logged train loss 2.3 -> 19.9 (step 25) -> 1.1 (last step); control (lr=1e-3) val_acc 1.00, val_loss 0.068
# control: --control
# native-log: trainer_state.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

torch.set_num_threads(1)

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="use a sane learning rate")
parser.add_argument("--epochs", type=int, default=5)
opts = parser.parse_args()

# someone copied "lr: 3e-4" from a config as "3" ...
LR = 1e-3 if opts.control else 3.0

LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)


def synth(n, seed, seq_len=16):
    r = np.random.default_rng(seed)
    ids = r.integers(5, 64, size=(n, seq_len))
    y = r.integers(0, 2, size=n)
    ids[np.arange(n), r.integers(1, seq_len, size=n)] = np.where(y == 1, 3, 4)
    ids[:, 0] = 1
    mask = np.ones_like(ids)
    return [{"input_ids": torch.tensor(ids[i]), "attention_mask": torch.tensor(mask[i]),
             "labels": torch.tensor(int(y[i]))} for i in range(n)]


class ListDataset(torch.utils.data.Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


train_ds = ListDataset(synth(800, 11))
eval_ds = ListDataset(synth(200, 12))

torch.manual_seed(0)
model = BertForSequenceClassification(BertConfig(
    vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
    intermediate_size=64, max_position_embeddings=32, num_labels=2))


def acc(p):
    return {"accuracy": float((np.argmax(p.predictions, -1) == p.label_ids).mean())}


trainer = Trainer(
    model=model,
    args=TrainingArguments(
        output_dir=os.path.join(LOGDIR, "run"), num_train_epochs=opts.epochs,
        per_device_train_batch_size=32, learning_rate=LR, warmup_steps=10,
        lr_scheduler_type="linear", logging_steps=5, eval_strategy="steps", eval_steps=25,
        report_to=[], save_strategy="no", use_cpu=True, disable_tqdm=True, seed=0),
    train_dataset=train_ds, eval_dataset=eval_ds, compute_metrics=acc)
trainer.train()
trainer.state.save_to_json(os.path.join(LOGDIR, "trainer_state.json"))

final = trainer.evaluate()
train_eval = trainer.evaluate(train_ds, metric_key_prefix="train")
print("CORPUS_METRIC " + json.dumps({"lr": LR, "val_loss": round(final["eval_loss"], 4),
                                     "val_acc": round(final["eval_accuracy"], 4),
                                     "train_loss": round(train_eval["train_loss"], 4),
                                     "chance_acc": 0.5}))
