# expect:
# allow:
# forbid: *
# evidence: val token acc 0.9925, ENT recall 0.967 (majority-tag rate 0.62); smoothed val loss 0.305 vs train 0.298 (floor set by label smoothing)
# native-log: tagger/trainer_state.json
# log-expect:
# log-allow:
"""Token classification (a tiny DistilBERT built from a DistilBertConfig) on a synthetic tagging
task: trigger tokens (ids 2-5) are tagged TRIG, the token right after a trigger is tagged ENT,
everything else O; padded positions carry label -100. Trained with label_smoothing_factor=0.1,
so the training loss settles at a floor well above zero (the smoothed target's entropy) even
though token accuracy on held-out sentences is ~1.0. Linear decay, no warm-up, batch 32.
"""
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from transformers import DistilBertConfig, DistilBertForTokenClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()

VOCAB, MAXLEN = 50, 16
PAD = 0
TRIGGERS = [2, 3, 4, 5]


class TagDataset(torch.utils.data.Dataset):
    def __init__(self, n, rng):
        self.items = []
        for _ in range(n):
            length = int(rng.integers(8, MAXLEN + 1))
            ids = rng.integers(6, VOCAB, size=length)
            for p in rng.choice(length - 1, size=int(rng.integers(1, 4)), replace=False):
                ids[p] = rng.choice(TRIGGERS)
            tags = np.zeros(length, dtype=np.int64)
            for i in range(length):
                if ids[i] in TRIGGERS:
                    tags[i] = 1
                elif i > 0 and ids[i - 1] in TRIGGERS:
                    tags[i] = 2
            pad = MAXLEN - length
            self.items.append({
                "input_ids": torch.tensor(list(ids) + [PAD] * pad, dtype=torch.long),
                "attention_mask": torch.tensor([1] * length + [0] * pad, dtype=torch.long),
                "labels": torch.tensor(list(tags) + [-100] * pad, dtype=torch.long)})

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def compute_metrics(p):
    mask = p.label_ids != -100
    pred = p.predictions.argmax(-1)
    return {"token_acc": float((pred[mask] == p.label_ids[mask]).mean()),
            "ent_recall": float((pred[p.label_ids == 2] == 2).mean())}


def main():
    torch.set_num_threads(1)
    torch.manual_seed(1)
    rng = np.random.default_rng(1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tagger_")
    out_dir = os.path.join(log_dir, "tagger")

    train_ds, val_ds = TagDataset(480, rng), TagDataset(300, rng)
    cfg = DistilBertConfig(vocab_size=VOCAB, max_position_embeddings=MAXLEN, n_layers=2, n_heads=4,
                           dim=48, hidden_dim=96, dropout=0.1, attention_dropout=0.1,
                           num_labels=3, pad_token_id=PAD)
    model = DistilBertForTokenClassification(cfg)

    args = TrainingArguments(
        output_dir=out_dir, num_train_epochs=10, per_device_train_batch_size=24,
        per_device_eval_batch_size=300, learning_rate=4e-3, label_smoothing_factor=0.1,
        eval_strategy="epoch", logging_steps=10, save_strategy="no", report_to="none",
        use_cpu=True, seed=1, disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                      compute_metrics=compute_metrics)
    trainer.train()
    trainer.state.save_to_json(os.path.join(out_dir, "trainer_state.json"))

    ev = trainer.evaluate(val_ds)
    tr = trainer.evaluate(train_ds, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss_smoothed": round(ev["eval_loss"], 4), "val_token_acc": round(ev["eval_token_acc"], 4),
        "val_ent_recall": round(ev["eval_ent_recall"], 4),
        "train_loss_smoothed": round(tr["train_loss"], 4), "train_token_acc": round(tr["train_token_acc"], 4),
        "chance_acc_majority": 0.62}))


if __name__ == "__main__":
    main()
