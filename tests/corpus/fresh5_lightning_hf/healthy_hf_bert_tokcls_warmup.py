"""Tiny BertForTokenClassification (built from a config, no download) trained with the HF
Trainer on a synthetic tagging task: each token's tag depends on its word class and on whether
a "negation" token occurred earlier in the sentence. Linear warm-up + decay, eval every 40
steps. Writes trainer_state.json (log_history) to $CORPUS_LOG_DIR.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out token accuracy 0.994 (chance 0.33), eval_loss 0.021, train loss 0.024
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from transformers import BertConfig, BertForTokenClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

VOCAB, SEQ, NEG = 40, 16, 3  # ids 0 pad, 3 = "not"


class TaggingDataset(torch.utils.data.Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        self.items = []
        for _ in range(n):
            length = rng.integers(8, SEQ + 1)
            ids = rng.integers(4, VOCAB, length)
            if rng.random() < 0.5:
                ids[rng.integers(0, length - 2)] = NEG
            labels = np.where(ids % 3 == 0, 0, np.where(ids % 3 == 1, 1, 2))
            seen_neg = np.cumsum(ids == NEG) > 0
            labels = np.where(seen_neg & (labels > 0), 3 - labels, labels)  # negation swaps 1<->2
            labels[ids == NEG] = 0
            pad = SEQ - length
            self.items.append({
                "input_ids": torch.tensor(np.concatenate([ids, np.zeros(pad, int)])),
                "attention_mask": torch.tensor([1] * length + [0] * pad),
                "labels": torch.tensor(np.concatenate([labels, -100 * np.ones(pad, int)])),
            })

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def token_accuracy(eval_pred):
    preds = eval_pred.predictions.argmax(-1)
    labels = eval_pred.label_ids
    mask = labels != -100
    return {"accuracy": float((preds[mask] == labels[mask]).mean())}


def main():
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=VOCAB, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=96, max_position_embeddings=SEQ, num_labels=3,
                     hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)
    model = BertForTokenClassification(cfg)
    train_ds, eval_ds = TaggingDataset(2000, 0), TaggingDataset(400, 1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    args = TrainingArguments(
        output_dir=tempfile.mkdtemp(), max_steps=200, per_device_train_batch_size=32, per_device_eval_batch_size=200,
        learning_rate=3e-3, weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
        eval_strategy="steps", eval_steps=40, logging_steps=10, save_strategy="no",
        report_to="none", disable_tqdm=True, use_cpu=True, seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds,
                      compute_metrics=token_accuracy)
    trainer.train()
    final = trainer.evaluate()
    os.makedirs(log_dir, exist_ok=True)
    trainer.state.save_to_json(os.path.join(log_dir, "trainer_state.json"))
    train_loss = trainer.predict(TaggingDataset(400, 0)).metrics["test_loss"]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(final["eval_loss"], 4),
                                         "val_acc": round(final["eval_accuracy"], 4),
                                         "train_loss": round(train_loss, 4),
                                         "chance_acc": 0.3333}))


if __name__ == "__main__":
    main()
