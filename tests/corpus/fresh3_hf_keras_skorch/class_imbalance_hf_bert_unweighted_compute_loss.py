# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (unweighted CE, 5% positives) val_balanced_acc 0.50, positive recall 0.00, predicts positive for 0% (val_acc 0.96 = majority rate); control (inverse-frequency weights in compute_loss) val_balanced_acc 0.997, recall 1.00, val_acc 0.995
# control: --control
# native-log: fraud_bert/trainer_state.json
# log-expect:
# log-allow: class_imbalance, high_bias, non_convergence
"""'Fraud-message' detection with a tiny BERT (BertForSequenceClassification from a BertConfig):
only ~5% of messages are positive (the 'alert' token 2 occurs twice; in negatives it occurs at
most once). A Trainer subclass overrides compute_loss to pass
class weights to the cross-entropy, but in the planted run the weights were left at None (the
team 'would add them later'), so the loss is plain unweighted CE on a 95:5 split: the model
learns to say 'negative' and its accuracy looks great (~95%) while the positive class is ignored.
Because the model never separates the positives even on the training set (train balanced
accuracy 0.5, loss stuck just under the prior's entropy), high_bias / non_convergence are
allowed as honest readings of the same failure.
--control: the same compute_loss with inverse-frequency class weights. Held-out set has the same
5% positive rate; we report balanced accuracy and positive-class recall.
"""
import argparse
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch.nn import functional as F
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()

VOCAB, SEQ, POS_RATE = 30, 14, 0.05
CLS = 1


class FraudDataset(torch.utils.data.Dataset):
    def __init__(self, n, rng):
        self.items, self.y = [], []
        for _ in range(n):
            ids = rng.integers(3, VOCAB, size=SEQ - 1)
            y = int(rng.random() < POS_RATE)
            # the alert token 2 appears twice in positives, at most once in negatives
            k = 2 if y else int(rng.integers(0, 2))
            ids[rng.choice(SEQ - 1, size=k, replace=False)] = 2
            self.y.append(y)
            self.items.append({"input_ids": torch.tensor([CLS] + list(ids), dtype=torch.long),
                               "labels": torch.tensor(y)})
        self.y = np.array(self.y)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


class WeightedTrainer(Trainer):
    def __init__(self, *args, class_weights=None, **kw):
        super().__init__(*args, **kw)
        self.class_weights = class_weights

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        labels = inputs.pop("labels")
        outputs = model(**inputs)
        w = None if self.class_weights is None else self.class_weights.to(outputs.logits.device)
        loss = F.cross_entropy(outputs.logits, labels, weight=w)
        return (loss, outputs) if return_outputs else loss


def compute_metrics(p):
    pred, y = p.predictions.argmax(-1), p.label_ids
    rec_pos = float((pred[y == 1] == 1).mean())
    rec_neg = float((pred[y == 0] == 0).mean())
    return {"accuracy": float((pred == y).mean()), "recall_pos": rec_pos,
            "balanced_acc": (rec_pos + rec_neg) / 2, "pred_pos_rate": float(pred.mean())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(6)
    rng = np.random.default_rng(6)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fraud_")
    out_dir = os.path.join(log_dir, "fraud_bert")

    train_ds, val_ds = FraudDataset(1000, rng), FraudDataset(600, rng)
    cfg = BertConfig(vocab_size=VOCAB, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=96, max_position_embeddings=SEQ, num_labels=2)
    model = BertForSequenceClassification(cfg)

    weights = None
    if a.control:
        counts = np.bincount(train_ds.y, minlength=2).astype(np.float32)
        weights = torch.tensor(counts.sum() / (2 * counts))
    args = TrainingArguments(
        output_dir=out_dir, num_train_epochs=5, per_device_train_batch_size=32,
        per_device_eval_batch_size=600, learning_rate=2e-3, warmup_steps=0.1,
        eval_strategy="epoch", logging_steps=5, save_strategy="no", report_to="none",
        use_cpu=True, seed=6, disable_tqdm=True)
    trainer = WeightedTrainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                              compute_metrics=compute_metrics, class_weights=weights)
    trainer.train()
    trainer.state.save_to_json(os.path.join(out_dir, "trainer_state.json"))

    ev = trainer.evaluate(val_ds)
    tr = trainer.evaluate(train_ds, metric_key_prefix="train")
    print("CORPUS_METRIC " + json.dumps({
        "val_acc": round(ev["eval_accuracy"], 4), "val_balanced_acc": round(ev["eval_balanced_acc"], 4),
        "val_recall_pos": round(ev["eval_recall_pos"], 4), "val_pred_pos_rate": round(ev["eval_pred_pos_rate"], 4),
        "val_pos_rate": round(float(val_ds.y.mean()), 4), "train_balanced_acc": round(tr["train_balanced_acc"], 4),
        "chance_balanced_acc": 0.5, "majority_acc": round(1 - float(val_ds.y.mean()), 4)}))


if __name__ == "__main__":
    main()
