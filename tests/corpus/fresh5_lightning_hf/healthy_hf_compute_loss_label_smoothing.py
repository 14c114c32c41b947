"""Sequence classification with a tiny BertForSequenceClassification and a Trainer subclass
whose compute_loss applies label-smoothed cross-entropy (0.1). Task: which of 3 "trigger"
tokens appears first in the sequence. Polynomial decay with warm-up, eval every 30 steps.
trainer_state.json in $CORPUS_LOG_DIR.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 1.00 (chance 0.33); eval loss 0.29 is the label-smoothing floor, train 0.30
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json, os, tempfile, warnings

import numpy as np
import torch
import torch.nn.functional as F
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

TRIG = np.array([4, 5, 6])


def sample(n, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        ids = rng.integers(7, 48, 16)
        ids[0] = 1
        k = rng.integers(1, 4)
        pos = rng.choice(np.arange(1, 16), k, replace=False)
        trig = rng.choice(TRIG, k)
        ids[pos] = trig
        label = int(trig[np.argmin(pos)] - 4)
        rows.append({"input_ids": torch.tensor(ids), "labels": torch.tensor(label)})
    return rows


class SmoothedTrainer(Trainer):
    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        labels = inputs.pop("labels")
        outputs = model(**inputs)
        loss = F.cross_entropy(outputs.logits, labels, label_smoothing=0.1)
        return (loss, outputs) if return_outputs else loss


def accuracy(ep):
    return {"accuracy": float((ep.predictions.argmax(-1) == ep.label_ids).mean())}


if __name__ == "__main__":
    torch.manual_seed(3)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=48, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
        max_position_embeddings=16, num_labels=3))
    train_rows, val_rows = sample(2400, 0), sample(400, 1)
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), max_steps=180, per_device_train_batch_size=32,
                             learning_rate=2e-3, warmup_steps=20, lr_scheduler_type="polynomial",
                             weight_decay=0.05, eval_strategy="steps", eval_steps=30, logging_steps=10,
                             save_strategy="no", report_to="none", disable_tqdm=True, use_cpu=True, seed=3)
    trainer = SmoothedTrainer(model=model, args=args, train_dataset=train_rows, eval_dataset=val_rows,
                              compute_metrics=accuracy)
    trainer.train()
    res = trainer.evaluate()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(log_dir, exist_ok=True)
    trainer.state.save_to_json(os.path.join(log_dir, "trainer_state.json"))
    tr = trainer.predict(train_rows[:400]).metrics
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(res["eval_loss"], 4), "val_acc": round(res["eval_accuracy"], 4),
                                         "train_loss": round(tr["test_loss"], 4), "chance_acc": 0.3333}))
