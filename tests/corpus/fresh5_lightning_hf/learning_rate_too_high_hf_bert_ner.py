"""NER-style tagging with a tiny BertForTokenClassification and the HF Trainer. The launch
script passes --learning_rate 5e-1 (meant 5e-3: the exponent digit was mistyped when the
sweep config was edited). The Trainer's default clipping (max_grad_norm=1) does not save it:
AdamW steps of ~0.5 per weight wreck the embeddings. trainer_state.json in $CORPUS_LOG_DIR.

--control uses the intended 5e-3.
"""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, high_bias, class_imbalance
# forbid: *
# evidence: control (lr 5e-3) token val_acc 0.86, eval_loss 0.28; planted (lr 5e-1) loss jumps to ~3.0 in the first 20 steps, then sits at 0.88 with val_acc 0.66 = the majority-tag rate
# control: --control
# native-log: trainer_state.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients, high_bias
import argparse, json, os, random, tempfile, warnings

import torch
from transformers import BertConfig, BertForTokenClassification, Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)

# tags: 0 = O, 1 = B-ENT, 2 = I-ENT ; entity = a "title" token followed by 1-3 "name" tokens
TITLES = list(range(5, 10))
NAMES = list(range(10, 30))
OTHER = list(range(30, 60))


def sentence(rng):
    toks, tags = [], []
    while len(toks) < 14:
        if rng.random() < 0.3:
            toks.append(rng.choice(TITLES)); tags.append(0)
            k = rng.randint(1, 3)
            for j in range(k):
                toks.append(rng.choice(NAMES)); tags.append(1 if j == 0 else 2)
        else:
            # name tokens also appear outside entities (ambiguous without context)
            toks.append(rng.choice(OTHER + NAMES[:6])); tags.append(0)
    return toks[:14], tags[:14]


def make(n, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        t, g = sentence(rng)
        out.append({"input_ids": torch.tensor([1] + t), "attention_mask": torch.ones(15, dtype=torch.long),
                    "labels": torch.tensor([-100] + g)})
    return out


def metrics(p):
    pred, lab = p.predictions.argmax(-1), p.label_ids
    m = lab != -100
    return {"acc": float((pred[m] == lab[m]).mean())}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    ap.add_argument("--learning_rate", type=float, default=5e-1)
    a = ap.parse_args()
    lr = 5e-3 if a.control else a.learning_rate
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=60, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=128, max_position_embeddings=16, num_labels=3)
    model = BertForTokenClassification(cfg)
    tr, va = make(1800, 0), make(300, 1)
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), max_steps=180, per_device_train_batch_size=32,
                             learning_rate=lr, warmup_steps=10, eval_strategy="steps", eval_steps=30,
                             logging_steps=5, save_strategy="no", report_to="none", disable_tqdm=True,
                             use_cpu=True, seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=tr, eval_dataset=va, compute_metrics=metrics)
    trainer.train()
    ev = trainer.evaluate()
    d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(d, exist_ok=True)
    trainer.state.save_to_json(os.path.join(d, "trainer_state.json"))
    tl = trainer.predict(tr[:300]).metrics["test_loss"]
    labs = torch.cat([x["labels"] for x in va])
    labs = labs[labs != -100]
    majority = max((labs == k).float().mean().item() for k in range(3))
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_acc"], 4),
                                         "train_loss": round(tl, 4), "chance_acc": round(majority, 4)}))


if __name__ == "__main__":
    main()
