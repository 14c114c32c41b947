# expect: non_convergence
# allow:
# forbid: *
# evidence: planted (labels shuffled apart from inputs) train_loss 0.692, train_acc 0.52, val_acc 0.41, val_loss 0.70 (chance 0.50, ln2=0.693); control (aligned labels) val_acc 1.00, val_loss 0.123
# control: --control
# native-log: trainer_state.json
# log-expect: non_convergence
# log-allow:
"""Data-pipeline bug: the label column is shuffled independently of the text column
(np.random.shuffle applied to the wrong array), so the labels carry no information
about the inputs. The model, optimizer and schedule are standard. --control keeps
the labels aligned with their sequences."""
import json
import os
import sys
import tempfile

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

torch.set_num_threads(1)
control = "--control" in sys.argv[1:]
out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="shuffled_")
os.makedirs(out_dir, exist_ok=True)

rng = np.random.default_rng(3)


def make_split(n):
    seqs = rng.integers(5, 64, size=(n, 16))
    labels = rng.integers(0, 2, size=n)
    seqs[np.arange(n), rng.integers(1, 16, size=n)] = np.where(labels == 1, 3, 4)
    seqs[:, 0] = 1
    return seqs, labels


train_x, train_y = make_split(800)
val_x, val_y = make_split(200)
if not control:
    rng.shuffle(train_y)  # BUG: meant to shuffle (x, y) pairs together

print("label agreement with the keyword after preprocessing:",
      float(((train_x == 3).any(1).astype(int) == train_y).mean()))


class Rows(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = torch.tensor(x), torch.tensor(y)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": torch.ones(16, dtype=torch.long),
                "labels": self.y[i]}


torch.manual_seed(0)
model = BertForSequenceClassification(BertConfig(
    vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
    intermediate_size=64, max_position_embeddings=32, num_labels=2))

trainer = Trainer(
    model=model,
    args=TrainingArguments(output_dir=os.path.join(out_dir, "trainer"), num_train_epochs=5,
                           per_device_train_batch_size=32, learning_rate=1e-3, weight_decay=0.01,
                           warmup_steps=10, lr_scheduler_type="linear", logging_steps=5,
                           eval_strategy="epoch", report_to=[], save_strategy="no",
                           use_cpu=True, disable_tqdm=True, seed=0),
    train_dataset=Rows(train_x, train_y), eval_dataset=Rows(val_x, val_y),
    compute_metrics=lambda p: {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())},
)
trainer.train()
trainer.state.save_to_json(os.path.join(out_dir, "trainer_state.json"))
ev = trainer.evaluate()
tr = trainer.evaluate(Rows(train_x, train_y), metric_key_prefix="train")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                     "train_loss": round(tr["train_loss"], 4),
                                     "train_acc": round(tr["train_accuracy"], 4), "chance_acc": 0.5}))
