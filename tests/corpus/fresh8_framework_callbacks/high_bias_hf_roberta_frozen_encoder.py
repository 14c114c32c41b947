# expect: high_bias
# allow: non_convergence, learning_rate_too_low
# forbid: *
# evidence: planted (encoder frozen, random init): train_loss 1.383, train_acc 0.28, val_acc 0.25 (chance 0.25, ln4=1.386); control (trainable): train_acc 1.00, val_acc 1.00, val_loss 0.70
# control: --control
# native-log: roberta_frozen/trainer_state.json
# log-expect:
# log-allow: high_bias, non_convergence, learning_rate_too_low
# HF Trainer with a tiny RobertaConfig model built from scratch. The author copied a "linear probe"
# snippet that freezes model.roberta -- but this encoder is randomly initialised, not pretrained,
# so only the classifier head on random features trains and the model underfits. --control leaves
# the encoder trainable.
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore"); os.environ["TRANSFORMERS_VERBOSITY"] = "error"
import torch
from transformers import RobertaConfig, RobertaForSequenceClassification, Trainer, TrainingArguments, set_seed
torch.set_num_threads(1); set_seed(6)
FREEZE = "--control" not in sys.argv
od = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "roberta_frozen")
VOC, L = 40, 14
def build(n, seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(8, VOC, (n, L), generator=g)
    y = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        pos = torch.randperm(L - 2, generator=g)[:2] + 1
        ids[i, pos] = 4 + y[i]
    ids[:, 0] = 0
    return [{"input_ids": a, "labels": b} for a, b in zip(ids, y)]
tr, va = build(1000, 0), build(400, 1)
cfg = RobertaConfig(vocab_size=VOC, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                    max_position_embeddings=L + 4, num_labels=4, pad_token_id=1, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
model = RobertaForSequenceClassification(cfg)
if FREEZE:
    for p in model.roberta.parameters():
        p.requires_grad = False
print("trainable params:", sum(p.numel() for p in model.parameters() if p.requires_grad))
ta = TrainingArguments(od, num_train_epochs=4, per_device_train_batch_size=32, learning_rate=1e-3, warmup_steps=10,
                       logging_steps=5, eval_strategy="epoch", save_strategy="no", report_to="none", use_cpu=True, disable_tqdm=True, seed=6)
t = Trainer(model=model, args=ta, train_dataset=tr, eval_dataset=va,
            compute_metrics=lambda p: {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())})
t.train(); t.save_state()
model.eval()
with torch.no_grad():
    def m(ds):
        ids = torch.stack([d["input_ids"] for d in ds]); yy = torch.stack([d["labels"] for d in ds]); lo = model(input_ids=ids).logits
        return torch.nn.functional.cross_entropy(lo, yy).item(), (lo.argmax(1) == yy).float().mean().item()
    vl, vacc = m(va); tl, tacc = m(tr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "train_acc": round(tacc, 4), "chance_acc": 0.25}))
