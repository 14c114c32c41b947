# expect: learning_rate_too_low
# allow: non_convergence
# forbid: *
# evidence: planted (lr=1e-7) val_acc 0.52 (chance 0.50), val_loss 0.6929, train loss flat 0.693 for 125 steps; control (lr=1e-3) val_acc 1.00, val_loss 0.096
# control: --control
# native-log: trainer_state.json
# log-expect: learning_rate_too_low
# log-allow: non_convergence
"""Tiny BERT sentence classifier trained with the Trainer API. The learning rate was
typed as 1e-7 instead of 1e-3."""
import json
import os
import sys
import tempfile

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments

torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
learning_rate = 1e-3 if CONTROL else 1e-7

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="bert_lowlr_")
os.makedirs(log_dir, exist_ok=True)


class Toks(torch.utils.data.Dataset):
    """Sequences of random tokens; label = which marker token (3 or 4) appears."""

    def __init__(self, n, seed):
        g = np.random.default_rng(seed)
        x = g.integers(5, 64, size=(n, 16))
        y = g.integers(0, 2, size=n)
        x[np.arange(n), g.integers(1, 16, size=n)] = 3 + (1 - y)
        x[:, 0] = 1
        self.x, self.y = torch.from_numpy(x).long(), torch.from_numpy(y).long()

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return dict(input_ids=self.x[i], attention_mask=torch.ones_like(self.x[i]), labels=self.y[i])


train_set, dev_set = Toks(800, 21), Toks(200, 22)
torch.manual_seed(0)
cfg = BertConfig(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                 intermediate_size=64, max_position_embeddings=32, num_labels=2)
model = BertForSequenceClassification(cfg)

args = TrainingArguments(
    output_dir=os.path.join(log_dir, "out"),
    num_train_epochs=5,
    per_device_train_batch_size=32,
    learning_rate=learning_rate,
    warmup_steps=0.05,  # a float < 1 is a ratio of the total steps
    lr_scheduler_type="cosine",
    logging_steps=5,
    eval_strategy="epoch",
    report_to=[],
    save_strategy="no",
    use_cpu=True,
    disable_tqdm=True,
    seed=0,
)


def metrics(ep):
    logits, labels = ep
    return {"accuracy": (logits.argmax(axis=-1) == labels).mean().item()}


trainer = Trainer(model=model, args=args, train_dataset=train_set, eval_dataset=dev_set,
                  compute_metrics=metrics)
trainer.train()
trainer.state.save_to_json(os.path.join(log_dir, "trainer_state.json"))

res = trainer.evaluate()
res_tr = trainer.evaluate(train_set, metric_key_prefix="train")
out = {"lr": learning_rate, "val_loss": round(res["eval_loss"], 4), "val_acc": round(res["eval_accuracy"], 4),
       "train_loss": round(res_tr["train_loss"], 4), "chance_acc": 0.5}
print("CORPUS_METRIC", json.dumps(out))
