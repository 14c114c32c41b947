# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias, dead_units
# forbid: *
# evidence: planted (lr 5e-2) val_acc 0.25, val_loss 1.389 (chance 0.25, ln4 = 1.386): loss jumps 1.39 -> 1.93 in the first steps and then sits at ln4; probe: 24% / 29% of FFN units never active; control (lr 2e-3) val_acc 1.00, val_loss 0.063, 0% never active
# control: --control
# native-log: electra_cls/trainer_state.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, exploding_gradients, high_bias
"""ElectraForSequenceClassification (tiny, from an ElectraConfig) trained with the Trainer's default
AdamW, but learning_rate=0.05 -- a value carried over from an SGD recipe. With Adam every weight
moves by ~lr per step, far too much for a transformer: the loss jumps up, sits around chance and
never comes down; about a quarter of the FFN (GELU) units end up never active (measured by a
probe; dead_units is allowed as a consequence). --control uses learning_rate=2e-3 (everything else identical: linear decay,
5% warm-up, clipping at the default max_grad_norm=1.0, same data and seed).
Task: 4-way 'which marker token occurs most often', sequences of integer token ids.
"""
import argparse
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from transformers import ElectraConfig, ElectraForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()

VOCAB, SEQ, N_CLS = 40, 12, 4
CLS = 1
MARKERS = [2, 3, 4, 5]


class MarkerDataset(torch.utils.data.Dataset):
    def __init__(self, n, rng):
        self.items = []
        for _ in range(n):
            y = int(rng.integers(N_CLS))
            ids = rng.integers(6, VOCAB, size=SEQ - 1)
            pos = rng.choice(SEQ - 1, size=4, replace=False)
            ids[pos[:3]] = MARKERS[y]
            ids[pos[3]] = MARKERS[(y + 1 + int(rng.integers(N_CLS - 1))) % N_CLS]
            self.items.append({"input_ids": torch.tensor([CLS] + list(ids), dtype=torch.long),
                               "labels": torch.tensor(y)})

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def compute_metrics(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(4)
    rng = np.random.default_rng(4)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="electra_")
    out_dir = os.path.join(log_dir, "electra_cls")

    train_ds, val_ds = MarkerDataset(640, rng), MarkerDataset(300, rng)
    cfg = ElectraConfig(vocab_size=VOCAB, embedding_size=32, hidden_size=48, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=96, max_position_embeddings=SEQ,
                        num_labels=N_CLS)
    model = ElectraForSequenceClassification(cfg)

    lr = 2e-3 if a.control else 5e-2
    args = TrainingArguments(
        output_dir=out_dir, num_train_epochs=6, per_device_train_batch_size=32,
        per_device_eval_batch_size=300, learning_rate=lr, warmup_steps=0.05,
        eval_strategy="epoch", logging_steps=5, save_strategy="no", report_to="none",
        use_cpu=True, seed=4, disable_tqdm=True)
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                      compute_metrics=compute_metrics)
    trainer.train()
    trainer.state.save_to_json(os.path.join(out_dir, "trainer_state.json"))

    # probe: fraction of FFN (GELU) units per layer that never exceed 0.01 on the val inputs
    acts, hooks = {}, []
    for i, layer in enumerate(model.electra.encoder.layer):
        hooks.append(layer.intermediate.register_forward_hook(
            lambda mod, inp, out, i=i: acts.__setitem__(i, out.detach())))
    model.eval()
    with torch.no_grad():
        model(input_ids=torch.stack([d["input_ids"] for d in val_ds.items]).to(model.device))
    for h in hooks:
        h.remove()
    never = [round(float((a.reshape(-1, a.shape[-1]).max(0).values <= 0.01).float().mean()), 3)
             for _, a in sorted(acts.items())]

    ev = trainer.evaluate(val_ds)
    tr = trainer.evaluate(train_ds, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
        "train_loss": round(tr["train_loss"], 4), "train_acc": round(tr["train_accuracy"], 4),
        "ffn_never_active_frac": never, "chance_acc": 0.25, "lr": lr}))


if __name__ == "__main__":
    main()
