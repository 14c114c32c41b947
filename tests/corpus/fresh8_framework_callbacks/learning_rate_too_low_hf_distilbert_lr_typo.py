# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr 5e-8): train_loss 0.693, val_loss 0.694, val_acc 0.465 (chance 0.5); control (lr 1e-3): val_loss 0.166, val_acc 1.00
# control: --control
# native-log: distil/trainer_state.json
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
"""DistilBERT-shaped model (tiny DistilBertConfig, random init, no download) trained with HF Trainer.
Planted: learning_rate=5e-8 -- someone copied a fine-tuning recipe's "5e-5" and added a zero in the
exponent; this model is trained from scratch and needs ~1e-3. --control uses 1e-3."""
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore")
os.environ["TRANSFORMERS_VERBOSITY"] = "error"
import torch
from transformers import DistilBertConfig, DistilBertForSequenceClassification, Trainer, TrainingArguments, set_seed

torch.set_num_threads(1)
set_seed(1)
LR = 1e-3 if "--control" in sys.argv else 5e-8
out_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "distil")

class ParityLike(torch.utils.data.Dataset):
    """label 1 if the sequence contains the 'good' token 4, label 0 if it contains the 'bad' token 3"""
    def __init__(self, n, seed, L=12):
        g = torch.Generator().manual_seed(seed)
        self.ids = torch.randint(6, 30, (n, L), generator=g)
        self.y = torch.randint(0, 2, (n,), generator=g)
        for i in range(n):
            p = torch.randperm(L - 1, generator=g)[:2] + 1
            self.ids[i, p] = 4 if self.y[i] == 1 else 3
        self.ids[:, 0] = 1
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return {"input_ids": self.ids[i], "labels": self.y[i]}

tr, va = ParityLike(1000, 0), ParityLike(400, 1)
model = DistilBertForSequenceClassification(DistilBertConfig(vocab_size=30, dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                                                             max_position_embeddings=12, num_labels=2, dropout=0.0, attention_dropout=0.0))
targs = TrainingArguments(out_dir, num_train_epochs=4, per_device_train_batch_size=32, learning_rate=LR, logging_steps=5,
                          eval_strategy="epoch", save_strategy="no", report_to="none", use_cpu=True, disable_tqdm=True, seed=1)
t = Trainer(model=model, args=targs, train_dataset=tr, eval_dataset=va,
            compute_metrics=lambda p: {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())})
t.train()
t.save_state()
model.eval()
with torch.no_grad():
    lv = model(input_ids=va.ids).logits; lt = model(input_ids=tr.ids).logits
F = torch.nn.functional
print("CORPUS_METRIC " + json.dumps({"val_loss": round(F.cross_entropy(lv, va.y).item(), 4), "val_acc": round((lv.argmax(1) == va.y).float().mean().item(), 4),
                                     "train_loss": round(F.cross_entropy(lt, tr.y).item(), 4), "chance_acc": 0.5}))
