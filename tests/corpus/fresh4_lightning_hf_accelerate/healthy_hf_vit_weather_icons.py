# Weather-icon classifier (sun / cloud / rain / snow / bolt / fog, 24x24 RGB)
# with a small ViT from ViTConfig and the HF Trainer.  Random horizontal flips
# in a data collator as augmentation, cosine schedule, eval each epoch.
#
# expect:
# allow:
# forbid: *
# evidence: eval_acc 0.96 / eval_loss 0.12 on 360 held-out icons (chance 0.167); last train loss 0.16
# native-log: trainer_state.json
# log-expect:
# log-allow:
import json
import os
import tempfile

import numpy as np
import torch
from transformers import Trainer, TrainingArguments, ViTConfig, ViTForImageClassification
from transformers.utils import logging

logging.set_verbosity_error()
torch.set_num_threads(1)
R = 24
CLASSES = ["sun", "cloud", "rain", "snow", "bolt", "fog"]


def icon(c, g):
    img = np.zeros((3, R, R), np.float32)
    yy, xx = np.mgrid[:R, :R]
    cy, cx = g.integers(9, 15, 2)
    if c == "sun":
        d = np.hypot(yy - cy, xx - cx)
        img[0][d < 5] = 1; img[1][d < 5] = 0.8
    elif c in ("cloud", "rain", "snow"):
        m = (np.hypot(yy - cy + 2, xx - cx) < 5) | (np.hypot(yy - cy, xx - cx - 4) < 4)
        img[:, m] = 0.7
        if c == "rain":
            for k in range(-3, 4, 2):
                img[2, cy + 5:cy + 9, cx + k] = 1
        if c == "snow":
            for k in range(-3, 4, 3):
                img[:, cy + 6, cx + k] = 1; img[:, cy + 8, cx + k + 1] = 1
    elif c == "bolt":
        for k in range(8):
            img[0, cy - 4 + k, cx - k // 2: cx - k // 2 + 2] = 1; img[1, cy - 4 + k, cx - k // 2] = 1
    else:  # fog
        for r in (cy - 3, cy, cy + 3):
            img[:, r, 4:20] = 0.6
    return img + g.normal(0, 0.2, img.shape).astype(np.float32)


def split(n, seed):
    g = np.random.default_rng(seed)
    y = g.integers(0, len(CLASSES), n)
    x = np.stack([icon(CLASSES[k], g) for k in y])
    return [{"pixel_values": torch.tensor(a), "labels": int(b)} for a, b in zip(x, y)]


def flip_collate(batch):
    x = torch.stack([b["pixel_values"] for b in batch])
    flip = torch.rand(len(batch)) < 0.5
    x[flip] = x[flip].flip(-1)
    return {"pixel_values": x, "labels": torch.tensor([b["labels"] for b in batch])}


def compute_metrics(pred):
    return {"accuracy": float((pred.predictions.argmax(-1) == pred.label_ids).mean())}


def main():
    torch.manual_seed(2)
    train_set, eval_set = split(1200, 0), split(360, 1)
    vit = ViTForImageClassification(ViTConfig(image_size=R, patch_size=6, num_channels=3, hidden_size=64,
                                              num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                                              num_labels=len(CLASSES), hidden_dropout_prob=0.05))
    args = TrainingArguments(output_dir=os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(),
                             num_train_epochs=5, per_device_train_batch_size=24, per_device_eval_batch_size=180,
                             learning_rate=1.5e-3, lr_scheduler_type="cosine", warmup_steps=25, weight_decay=0.05,
                             logging_steps=10, eval_strategy="epoch", save_strategy="no", report_to=[],
                             use_cpu=True, seed=2, disable_tqdm=True, remove_unused_columns=False)
    trainer = Trainer(model=vit, args=args, train_dataset=train_set, eval_dataset=eval_set,
                      data_collator=flip_collate, compute_metrics=compute_metrics)
    trainer.train()
    trainer.save_state()
    m = trainer.evaluate()
    last = [h for h in trainer.state.log_history if "loss" in h][-1]["loss"]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["eval_loss"], 4), "val_acc": round(m["eval_accuracy"], 4),
                                         "train_loss": round(last, 4), "chance_acc": round(1 / 6, 4)}))


main()
