"""Planted overfitting: Hugging Face Trainer, tiny BERT text classifier trained on only 48 examples.

Same polarity-counting text task as a review classifier (integer token ids, 5 % label noise).
The planted cause: the labelled training set is tiny (48 sequences) while the optimiser runs the
same 200 steps, so the 2-layer BERT memorises it: train loss -> ~0 while eval loss climbs.
--control trains the same model for the same 200 steps on 1280 examples.
"""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (48 train): train_loss 0.002, eval_loss min 0.69 at step 40 then rises to 1.77, eval_acc 0.70; control (1280 train): eval_loss 0.23, eval_acc 0.94, train_loss 0.17
# control: --control
# native-log: trainer_state.json
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile, warnings
import numpy as np
import torch

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
random.seed(4); np.random.seed(4); torch.manual_seed(4)
CONTROL = "--control" in sys.argv

from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_bertof_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(4)
V, L_SEQ = 60, 24
POS, NEG = list(range(4, 10)), list(range(10, 16))


def make(n):
    ids = rng.integers(16, V, size=(n, L_SEQ))
    labels = np.zeros(n, dtype=np.int64)
    for i in range(n):
        p, q = rng.integers(0, 5), rng.integers(0, 5)
        while p == q:
            q = rng.integers(0, 5)
        slots = rng.choice(np.arange(1, L_SEQ), size=p + q, replace=False)
        ids[i, slots[:p]] = rng.choice(POS, p)
        ids[i, slots[p:]] = rng.choice(NEG, q)
        labels[i] = int(p > q)
    flip = rng.random(n) < 0.05
    labels[flip] = 1 - labels[flip]
    ids[:, 0] = 2
    return ids, labels


class DS(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = torch.tensor(ids), torch.tensor(labels)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_SEQ, dtype=torch.long), "labels": self.labels[i]}


all_ids, all_labels = make(1280)
val_ds = DS(*make(400))
n_train = 1280 if CONTROL else 48
train_ds = DS(all_ids[:n_train], all_labels[:n_train])

cfg = BertConfig(vocab_size=V, hidden_size=48, num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                 max_position_embeddings=32, num_labels=2, hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
model = BertForSequenceClassification(cfg)


def compute_metrics(p):
    logits, labels = p
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=os.path.join(LOG_DIR, "hf_out"), max_steps=200, per_device_train_batch_size=16,
    per_device_eval_batch_size=200, learning_rate=1e-3, weight_decay=0.0, warmup_steps=10,
    lr_scheduler_type="constant_with_warmup", eval_strategy="steps", eval_steps=20, logging_steps=10,
    save_strategy="no", report_to="none", disable_tqdm=True, use_cpu=True, seed=4)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds, compute_metrics=compute_metrics)
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
tr = trainer.evaluate(train_ds, metric_key_prefix="train")
evals = [h["eval_loss"] for h in trainer.state.log_history if "eval_loss" in h]
print("eval_loss curve:", [round(v, 3) for v in evals])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                     "train_loss": round(tr["train_loss"], 4), "train_acc": round(tr["train_accuracy"], 4),
                                     "min_val_loss": round(min(evals), 4), "n_train": n_train, "chance_acc": 0.5}))
