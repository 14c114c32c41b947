# expect:
# allow:
# forbid: *
# evidence: val_acc 1.00, val_loss 0.115 (chance 0.33); train_loss 0.117, no train/val gap
# native-log: bert_cosine/trainer_state.json
# log-expect:
# log-allow:
"""Tiny BERT (built from a BertConfig, 2 layers, hidden 48) trained from scratch with the HF
Trainer on a synthetic 'keyword topic' task: each sequence of integer token ids contains a few
topic keywords among noise tokens, the label is the topic with most keywords. The usual recipe:
AdamW, warmup_steps=0.1 (a ratio in transformers 5) + cosine decay, weight decay, eval_strategy="steps". The lr ramps up,
the loss falls steadily, validation accuracy climbs and stays high as the lr decays to zero.
"""
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()

VOCAB, SEQ, N_CLS = 64, 12, 3
PAD, CLS = 0, 1
# token ids 2..4 -> topic 0, 5..7 -> topic 1, 8..10 -> topic 2, 11.. noise
TOPIC_TOKENS = [list(range(2 + 3 * k, 5 + 3 * k)) for k in range(N_CLS)]


class ToyDataset(torch.utils.data.Dataset):
    def __init__(self, n, rng):
        self.items = []
        for _ in range(n):
            y = int(rng.integers(N_CLS))
            ids = list(rng.integers(11, VOCAB, size=SEQ - 1))
            # 3 keywords of the true topic, 1 distractor from another topic
            pos = rng.choice(SEQ - 1, size=4, replace=False)
            for p in pos[:3]:
                ids[p] = int(rng.choice(TOPIC_TOKENS[y]))
            other = (y + 1 + int(rng.integers(N_CLS - 1))) % N_CLS
            ids[pos[3]] = int(rng.choice(TOPIC_TOKENS[other]))
            ids = [CLS] + [int(t) for t in ids]
            self.items.append({"input_ids": torch.tensor(ids),
                               "attention_mask": torch.ones(SEQ, dtype=torch.long),
                               "labels": torch.tensor(y)})

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def compute_metrics(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="bertcos_")
    out_dir = os.path.join(log_dir, "bert_cosine")

    train_ds, val_ds = ToyDataset(640, rng), ToyDataset(300, rng)
    cfg = BertConfig(vocab_size=VOCAB, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=96, max_position_embeddings=SEQ, num_labels=N_CLS,
                     hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
    model = BertForSequenceClassification(cfg)

    args = TrainingArguments(
        output_dir=out_dir, num_train_epochs=6, per_device_train_batch_size=32,
        per_device_eval_batch_size=300, learning_rate=3e-3, weight_decay=0.01,
        warmup_steps=0.1, lr_scheduler_type="cosine", eval_strategy="steps", eval_steps=30,
        logging_steps=10, save_strategy="no", report_to="none", use_cpu=True, seed=0,
        disable_tqdm=True, dataloader_num_workers=0)
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                      compute_metrics=compute_metrics)
    trainer.train()
    trainer.state.save_to_json(os.path.join(out_dir, "trainer_state.json"))

    ev = trainer.evaluate(val_ds)
    tr = trainer.evaluate(train_ds, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
        "train_loss": round(tr["train_loss"], 4), "train_acc": round(tr["train_accuracy"], 4),
        "chance_acc": 0.3333}))


if __name__ == "__main__":
    main()
