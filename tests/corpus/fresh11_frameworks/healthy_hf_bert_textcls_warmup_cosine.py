"""Healthy: Hugging Face Trainer, tiny BERT (built from a config) for review-like text classification.

Sequences of integer token ids (vocab 60, no tokenizer): a handful of "positive" and "negative"
word ids are sprinkled among neutral filler words; the label is which polarity occurs more often.
A 2-layer BertForSequenceClassification (hidden 48) is trained with linear warm-up + cosine decay,
per-epoch evaluation with compute_metrics, and the trainer_state.json saved to $CORPUS_LOG_DIR.
"""
# expect:
# allow:
# forbid: *
# evidence: eval_accuracy 0.9475 (chance 0.50, ceiling ~0.95 with 5 % label noise), eval_loss 0.20 ~ train loss 0.21; warm-up + cosine schedule
# native-log: trainer_state.json
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, warnings, logging
import numpy as np
import torch

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
random.seed(3); np.random.seed(3); torch.manual_seed(3)
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging
hf_logging.set_verbosity_error()

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_bert_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(3)
V, L_SEQ = 60, 24
POS, NEG = list(range(4, 10)), list(range(10, 16))  # ids 0..3 special, 16.. neutral


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
    flip = rng.random(n) < 0.05  # 5 % annotator noise
    labels[flip] = 1 - labels[flip]
    ids[:, 0] = 2  # [CLS]
    return ids, labels


class DS(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = torch.tensor(ids), torch.tensor(labels)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_SEQ, dtype=torch.long), "labels": self.labels[i]}


train_ds, val_ds = DS(*make(1200)), DS(*make(400))
cfg = BertConfig(vocab_size=V, hidden_size=48, num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                 max_position_embeddings=32, num_labels=2, hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
model = BertForSequenceClassification(cfg)


def compute_metrics(p):
    logits, labels = p
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=os.path.join(LOG_DIR, "hf_out"), num_train_epochs=4, per_device_train_batch_size=32,
    per_device_eval_batch_size=200, learning_rate=2e-3, weight_decay=0.01, warmup_steps=20,
    lr_scheduler_type="cosine", eval_strategy="epoch", logging_steps=5, save_strategy="no",
    report_to="none", disable_tqdm=True, use_cpu=True, seed=3, dataloader_num_workers=0)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds, compute_metrics=compute_metrics)
trainer.train()
ev = trainer.evaluate()
trainer.state.save_to_json(os.path.join(LOG_DIR, "trainer_state.json"))
tr = trainer.evaluate(train_ds, metric_key_prefix="train")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                     "train_loss": round(tr["train_loss"], 4), "train_acc": round(tr["train_accuracy"], 4),
                                     "chance_acc": 0.5}))
