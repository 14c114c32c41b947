"""Topic classification with a tiny BertForSequenceClassification. The preprocessing
"shuffles the data set" by calling random.shuffle on the texts list and, separately, on the
labels list -- so every text gets a random label. The model cannot do better than chance and
the training loss sits at ~ln(4). trainer_state.json in $CORPUS_LOG_DIR.

--control shuffles (text, label) pairs together.
"""
# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: control (paired shuffle) val_acc 0.895, eval_loss 0.52; planted (labels shuffled independently) train loss 1.386 (ln4=1.386), val_acc 0.285 (chance 0.25)
# control: --control
# native-log: trainer_state.json
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance
import argparse
import json
import os
import random
import tempfile
import warnings

import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

TOPIC_WORDS = {t: list(range(4 + 8 * t, 12 + 8 * t)) for t in range(4)}  # 4..35
FILLER = list(range(36, 64))


def corpus(n, rng):
    texts, labels = [], []
    for _ in range(n):
        t = rng.randrange(4)
        words = [rng.choice(FILLER) for _ in range(15)]
        for pos in rng.sample(range(15), 3):
            words[pos] = rng.choice(TOPIC_WORDS[t])
        # one distractor word from another topic
        words[rng.randrange(15)] = rng.choice(TOPIC_WORDS[(t + rng.randrange(1, 4)) % 4])
        texts.append([1] + words)
        labels.append(t)
    return texts, labels


def preprocess(texts, labels, rng, paired):
    if paired:
        pairs = list(zip(texts, labels))
        rng.shuffle(pairs)
        texts, labels = map(list, zip(*pairs))
    else:
        rng.shuffle(texts)
        rng.shuffle(labels)
    return [{"input_ids": torch.tensor(x), "labels": torch.tensor(y)} for x, y in zip(texts, labels)]


def acc(ep):
    return {"accuracy": float((ep.predictions.argmax(-1) == ep.label_ids).mean())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    paired = ap.parse_args().control
    rng = random.Random(0)
    train = preprocess(*corpus(2000, rng), rng, paired)
    val_texts, val_labels = corpus(400, random.Random(1))
    val = [{"input_ids": torch.tensor(x), "labels": torch.tensor(y)} for x, y in zip(val_texts, val_labels)]
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(vocab_size=64, hidden_size=48, num_hidden_layers=2,
                                                     num_attention_heads=4, intermediate_size=96,
                                                     max_position_embeddings=16, num_labels=4))
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), num_train_epochs=3, per_device_train_batch_size=32,
                             learning_rate=1e-3, warmup_steps=15, eval_strategy="steps", eval_steps=30,
                             logging_steps=10, save_strategy="no", report_to="none", disable_tqdm=True,
                             use_cpu=True, seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=val, compute_metrics=acc)
    trainer.train()
    ev = trainer.evaluate()
    logd = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(logd, exist_ok=True)
    trainer.state.save_to_json(os.path.join(logd, "trainer_state.json"))
    tl = trainer.predict(train[:400]).metrics["test_loss"]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                         "train_loss": round(tl, 4), "chance_acc": 0.25}))


main()
