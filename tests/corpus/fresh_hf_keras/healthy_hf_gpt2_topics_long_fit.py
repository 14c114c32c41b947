# expect:
# allow:
# forbid: *
# evidence: val_acc 1.0 (chance 0.25) from epoch 3 on; eval_loss falls every epoch to 0.0037 (its best is the last) while train loss reaches 0.0044 after 20 epochs at constant lr
# native-log: trainer_state.json
# log-expect:
# log-allow:
"""Tiny GPT-2 sequence classifier (config-built) run for many epochs on a small but clean
4-topic task at a constant learning rate. The train loss goes to ~0; since the labels are
noise-free and the held-out set comes from the same generator, the eval loss keeps at its best."""
import json
import os
import tempfile

import numpy as np
import torch

torch.set_num_threads(1)
from transformers import (GPT2Config, GPT2ForSequenceClassification, Trainer,  # noqa: E402
                          TrainingArguments, set_seed)

set_seed(3)
OUT = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="hf_gpt2_topics_")
os.makedirs(OUT, exist_ok=True)

SEQ, N_TOPICS, WORDS_PER_TOPIC, N_FILLER = 12, 4, 6, 30
VOCAB = 1 + N_TOPICS * WORDS_PER_TOPIC + N_FILLER  # id 0 is padding
rng = np.random.default_rng(3)


class TopicDataset(torch.utils.data.Dataset):
    def __init__(self, n):
        self.ids = np.zeros((n, SEQ), dtype=np.int64)
        self.y = rng.integers(0, N_TOPICS, size=n)
        filler = 1 + N_TOPICS * WORDS_PER_TOPIC + np.arange(N_FILLER)
        for i, t in enumerate(self.y):
            topic_words = 1 + t * WORDS_PER_TOPIC + np.arange(WORDS_PER_TOPIC)
            k = rng.integers(3, 6)
            seq = np.concatenate([rng.choice(topic_words, k), rng.choice(filler, SEQ - k)])
            rng.shuffle(seq)
            self.ids[i] = seq

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": torch.from_numpy(self.ids[i]), "labels": int(self.y[i])}


train_ds, val_ds = TopicDataset(320), TopicDataset(400)

config = GPT2Config(vocab_size=VOCAB, n_positions=SEQ, n_embd=32, n_layer=2, n_head=2,
                    num_labels=N_TOPICS, pad_token_id=0)
model = GPT2ForSequenceClassification(config)


def compute_metrics(pred):
    logits, labels = pred
    return {"accuracy": float((logits.argmax(-1) == labels).mean())}


args = TrainingArguments(
    output_dir=OUT,
    num_train_epochs=20,
    per_device_train_batch_size=16,
    per_device_eval_batch_size=200,
    learning_rate=1e-3,
    lr_scheduler_type="constant",
    eval_strategy="epoch",
    logging_steps=20,
    save_strategy="no",
    report_to=[],
    use_cpu=True,
    disable_tqdm=True,
    seed=3,
)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                  compute_metrics=compute_metrics)
trainer.train()
trainer.save_state()
final = trainer.evaluate()
hist = trainer.state.log_history
last_train_loss = [h["loss"] for h in hist if "loss" in h][-1]
best_val = min(h["eval_loss"] for h in hist if "eval_loss" in h)
print("CORPUS_METRIC " + json.dumps({
    "val_loss": round(final["eval_loss"], 4), "best_val_loss": round(best_val, 4),
    "val_acc": round(final["eval_accuracy"], 4), "train_loss": round(last_train_loss, 5),
    "chance_acc": 1 / N_TOPICS}))
