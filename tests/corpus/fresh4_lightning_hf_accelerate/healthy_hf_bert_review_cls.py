"""Tiny BERT (built from a config, no download) classifying synthetic product
reviews as positive/negative with the HF Trainer.  Hand-made word-level vocab.
Warm-up + linear decay, weight decay, eval every epoch, best model kept.
The native log is trainer_state.json written to $CORPUS_LOG_DIR."""
# expect:
# allow:
# forbid: *
# evidence: eval_accuracy 0.95, eval_loss 0.12 on 300 held-out reviews (chance 0.5); last train loss 0.14
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json
import os
import random
import tempfile

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

torch.set_num_threads(1)
hf_logging.set_verbosity_error()

POS = ["great", "love", "excellent", "perfect", "works", "recommend", "sturdy", "fast"]
NEG = ["broken", "awful", "refund", "slow", "cheap", "returned", "disappointed", "never"]
NEUTRAL = ["the", "a", "it", "was", "this", "product", "box", "arrived", "and", "i", "my", "with",
           "for", "day", "size", "color", "price", "but", "not", "very"]
VOCAB = ["[PAD]", "[CLS]", "[SEP]", "[UNK]"] + POS + NEG + NEUTRAL
TOK = {w: i for i, w in enumerate(VOCAB)}
MAXLEN = 24


def review(rng):
    label = rng.random() < 0.5
    words = [rng.choice(NEUTRAL) for _ in range(rng.randint(8, 18))]
    main, other = (POS, NEG) if label else (NEG, POS)
    for _ in range(rng.randint(1, 3)):
        words.insert(rng.randrange(len(words)), rng.choice(main))
    if rng.random() < 0.3:  # a mixed review: one word of the other polarity
        words.insert(rng.randrange(len(words)), rng.choice(other))
    return " ".join(words), int(label)


def encode(text):
    ids = [TOK["[CLS]"]] + [TOK.get(w, TOK["[UNK]"]) for w in text.split()][:MAXLEN - 2] + [TOK["[SEP]"]]
    mask = [1] * len(ids) + [0] * (MAXLEN - len(ids))
    return ids + [0] * (MAXLEN - len(ids)), mask


class Reviews(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        rng = random.Random(seed)
        self.items = [review(rng) for _ in range(n)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        text, y = self.items[i]
        ids, mask = encode(text)
        return {"input_ids": torch.tensor(ids), "attention_mask": torch.tensor(mask), "labels": torch.tensor(y)}


def accuracy(p):
    return {"accuracy": float((np.argmax(p.predictions, -1) == p.label_ids).mean())}


out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
torch.manual_seed(0)
cfg = BertConfig(vocab_size=len(VOCAB), hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=96, max_position_embeddings=MAXLEN, num_labels=2)
model = BertForSequenceClassification(cfg)
args = TrainingArguments(output_dir=out_dir, per_device_train_batch_size=32, per_device_eval_batch_size=150,
                         num_train_epochs=4, learning_rate=1e-3, warmup_steps=20, weight_decay=0.01,
                         lr_scheduler_type="linear", logging_steps=10, eval_strategy="epoch", save_strategy="no",
                         report_to=[], use_cpu=True, seed=0, disable_tqdm=True, dataloader_num_workers=0)
trainer = Trainer(model=model, args=args, train_dataset=Reviews(1200, 1), eval_dataset=Reviews(300, 2),
                  compute_metrics=accuracy)
train_out = trainer.train()
trainer.save_state()
ev = trainer.evaluate()
last_train = [h["loss"] for h in trainer.state.log_history if "loss" in h][-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                     "train_loss": round(last_train, 4), "chance_acc": 0.5}))
