"""Glyph recognition (10 classes of 16x16 pictograms) with a tiny ViT built from a
config and the HF Trainer.  Only the first 60 images of the labelled pool are used
(`labelled = pool[:N_LABELLED]` -- the annotation budget of the pilot study), and
the transformer fits those perfectly while generalising poorly.
--control uses the full 1500-image labelled pool; everything else is identical.
"""
# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: control (1500 labelled) eval_acc 0.99 / eval_loss 0.14; planted (60 labelled) train_acc 1.00 / train_loss 0.013 but eval_acc 0.68 / eval_loss 1.24 (chance 0.10)
# control: --control
# native-log: trainer_state.json
# log-expect: high_variance
# log-allow: overfitting
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from transformers import Trainer, TrainingArguments, ViTConfig, ViTForImageClassification
from transformers.utils import logging as hf_logging

hf_logging.set_verbosity_error()
torch.set_num_threads(1)

N_LABELLED = 60
S = 16


def glyph_bank(rng):
    # each class = a fixed random 4x4 stroke pattern upsampled to 16x16
    return [(rng.random((4, 4)) > 0.5).astype(np.float32) for _ in range(10)]


def render(bank, n, rng):
    y = rng.integers(0, 10, n)
    imgs = np.zeros((n, 1, S, S), np.float32)
    for i, c in enumerate(y):
        g = np.kron(bank[c], np.ones((3, 3), np.float32))  # 12x12
        dy, dx = rng.integers(1, 3, 2)
        imgs[i, 0, dy:dy + 12, dx:dx + 12] = g * rng.uniform(0.6, 1.2)
    imgs += rng.normal(0, 0.25, imgs.shape).astype(np.float32)
    return imgs, y


class Glyphs(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"pixel_values": self.x[i], "labels": self.y[i]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--control", action="store_true")
    a = p.parse_args()
    rng = np.random.default_rng(8)
    bank = glyph_bank(rng)
    pool_x, pool_y = render(bank, 1500, rng)
    test_x, test_y = render(bank, 400, rng)
    n = len(pool_y) if a.control else N_LABELLED
    train = Glyphs(pool_x[:n], pool_y[:n])
    torch.manual_seed(8)
    model = ViTForImageClassification(ViTConfig(image_size=S, patch_size=4, num_channels=1, hidden_size=48,
                                                num_hidden_layers=2, num_attention_heads=4, intermediate_size=96,
                                                num_labels=10))
    steps = 240
    args = TrainingArguments(output_dir=os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), max_steps=steps,
                             per_device_train_batch_size=20, learning_rate=2e-3, warmup_steps=20,
                             logging_steps=10, eval_strategy="steps", eval_steps=40, per_device_eval_batch_size=200,
                             save_strategy="no", report_to=[], use_cpu=True, seed=8, disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=Glyphs(test_x, test_y),
                      compute_metrics=lambda ev: {"acc": float((ev.predictions.argmax(-1) == ev.label_ids).mean())})
    trainer.train()
    trainer.save_state()
    tr_metrics = trainer.evaluate(train, metric_key_prefix="train")
    ev = trainer.evaluate()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_acc"], 4),
                                         "train_loss": round(tr_metrics["train_loss"], 4),
                                         "train_acc": round(tr_metrics["train_acc"], 4), "n_train": n,
                                         "chance_acc": 0.1}))


main()
