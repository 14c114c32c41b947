# expect:
# allow:
# forbid: *
# evidence: tiny BERT keyword detector reaches eval_accuracy 1.00 (chance 0.50), eval_loss 0.69 -> 0.03, train loss 0.69 -> 0.03
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""Fine-tune a tiny BERT (built from a config, no download) to detect which of two
keyword tokens occurs in a random token sequence. Hugging Face Trainer, linear
schedule with warmup, evaluation once per epoch."""
import os
import json
import tempfile

import numpy as np
import torch
from torch.utils.data import Dataset
from transformers import (BertConfig, BertForSequenceClassification, Trainer,
                          TrainingArguments)

torch.set_num_threads(1)

SEQ_LEN = 16
VOCAB = 64
CLS_ID, POS_KW, NEG_KW = 1, 3, 4


class KeywordDataset(Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        ids = rng.integers(5, VOCAB, size=(n, SEQ_LEN))
        labels = rng.integers(0, 2, size=n)
        where = rng.integers(1, SEQ_LEN, size=n)
        ids[np.arange(n), where] = np.where(labels == 1, POS_KW, NEG_KW)
        ids[:, 0] = CLS_ID
        self.ids = torch.tensor(ids, dtype=torch.long)
        self.labels = torch.tensor(labels, dtype=torch.long)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i],
                "attention_mask": torch.ones(SEQ_LEN, dtype=torch.long),
                "labels": self.labels[i]}


def compute_metrics(eval_pred):
    logits, labels = eval_pred
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


def main():
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_kw_")
    os.makedirs(logdir, exist_ok=True)

    train_ds = KeywordDataset(800, seed=1)
    val_ds = KeywordDataset(200, seed=2)

    config = BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=32, num_labels=2)
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)

    args = TrainingArguments(
        output_dir=os.path.join(logdir, "hf_out"),
        num_train_epochs=6,
        per_device_train_batch_size=32,
        per_device_eval_batch_size=100,
        learning_rate=1e-3,
        warmup_steps=10,
        lr_scheduler_type="linear",
        logging_steps=5,
        eval_strategy="epoch",
        report_to=[],
        save_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
        seed=0,
    )
    trainer = Trainer(model=model, args=args, train_dataset=train_ds,
                      eval_dataset=val_ds, compute_metrics=compute_metrics)
    trainer.train()
    trainer.state.save_to_json(os.path.join(logdir, "trainer_state.json"))

    ev = trainer.evaluate()
    tr = trainer.evaluate(train_ds, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
        "train_loss": round(tr["train_loss"], 4), "train_acc": round(tr["train_accuracy"], 4),
        "chance_acc": 0.5}))


if __name__ == "__main__":
    main()
