# expect:
# allow:
# forbid: *
# evidence: healthy; eval val_acc 1.00 (chance 0.33); val_loss 0.43 / train_loss 0.43 (unsmoothed CE, model trained with label smoothing 0.1)
# native-log: hf_bert/trainer_state.json
# log-expect:
# log-allow:
# Hugging Face Trainer, tiny BertConfig built from scratch (no download). Synthetic sequence
# classification: label = which of three "keyword" tokens occurs (2-4 times) among random filler. Warm-up + cosine,
# label smoothing 0.1, weight decay; log_history in trainer_state.json is the native log.
import os, json, tempfile, warnings
warnings.filterwarnings("ignore")
os.environ["TRANSFORMERS_VERBOSITY"] = "error"
os.environ["HF_HUB_OFFLINE"] = "1"
import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, Trainer, TrainingArguments, set_seed

torch.set_num_threads(1)
set_seed(0)
OUT = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "hf_bert")

VOCAB, SEQ = 40, 16
rng = np.random.default_rng(1)
def make(n):
    ids = rng.integers(5, VOCAB, size=(n, SEQ))
    y = rng.integers(0, 3, size=n)
    for i in range(n):
        k = rng.integers(2, 5)
        pos = rng.choice(np.arange(1, SEQ), size=k, replace=False)
        ids[i, pos] = 2 + y[i]
    ids[:, 0] = 1  # [CLS]
    return [{"input_ids": torch.tensor(a), "attention_mask": torch.ones(SEQ, dtype=torch.long), "labels": torch.tensor(int(b))} for a, b in zip(ids, y)]

train_ds, eval_ds = make(1200), make(400)
cfg = BertConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                 max_position_embeddings=SEQ, num_labels=3)
model = BertForSequenceClassification(cfg)

def metrics(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}

args = TrainingArguments(output_dir=OUT, num_train_epochs=4, per_device_train_batch_size=32, per_device_eval_batch_size=200,
                         learning_rate=1e-3, warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.01,
                         label_smoothing_factor=0.1, logging_steps=10, eval_strategy="epoch", save_strategy="no",
                         report_to="none", use_cpu=True, disable_tqdm=True, seed=0, dataloader_num_workers=0)
trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds, compute_metrics=metrics)
trainer.train()
trainer.save_state()
ev = trainer.evaluate()
model.eval()
with torch.no_grad():
    def ce(ds):
        ids = torch.stack([d["input_ids"] for d in ds]); lab = torch.stack([d["labels"] for d in ds])
        lo = model(input_ids=ids).logits
        return torch.nn.functional.cross_entropy(lo, lab).item(), (lo.argmax(-1) == lab).float().mean().item()
    vl, va = ce(eval_ds); tl, _ = ce(train_ds)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.3333}))
