# expect:
# allow:
# forbid: *
# evidence: healthy; held-out next-token loss 1.11 vs true chain entropy 1.06 and uniform 3.18; train_loss 1.18
# native-log: gpt2_tiny/trainer_state.json
# log-expect:
# log-allow:
# Tiny GPT2Config causal LM (from scratch, no download) trained with HF Trainer on sequences from a
# small random Markov chain (each token has 3 likely successors). Linear schedule with warm-up.
# Held-out next-token loss is compared with the chain's true entropy and with uniform log(V).
import os, json, math, tempfile, warnings
warnings.filterwarnings("ignore")
os.environ["TRANSFORMERS_VERBOSITY"] = "error"
import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments, set_seed

torch.set_num_threads(1)
set_seed(3)
save_to = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "gpt2_tiny")
V, T = 24, 24
g = torch.Generator().manual_seed(3)
P = torch.full((V, V), 0.02 / (V - 3))
for a in range(V):
    nxt = torch.randperm(V, generator=g)[:3]
    P[a] = 0.02 / (V - 3); P[a, nxt] = torch.tensor([0.6, 0.25, 0.13])
P = P / P.sum(1, keepdim=True)
H = -(P * P.log()).sum(1).mean().item()

def sample(n):
    seq = torch.empty(n, T, dtype=torch.long); seq[:, 0] = torch.randint(0, V, (n,), generator=g)
    for t in range(1, T):
        seq[:, t] = torch.multinomial(P[seq[:, t - 1]], 1, generator=g).squeeze(1)
    return seq

class LM(torch.utils.data.Dataset):
    def __init__(self, s): self.s = s
    def __len__(self): return len(self.s)
    def __getitem__(self, i): return {"input_ids": self.s[i], "labels": self.s[i]}

train, val = LM(sample(1500)), LM(sample(300))
model = GPT2LMHeadModel(GPT2Config(vocab_size=V, n_positions=T, n_embd=32, n_layer=2, n_head=2, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0))
args = TrainingArguments(output_dir=save_to, num_train_epochs=3, per_device_train_batch_size=32, learning_rate=3e-3,
                         lr_scheduler_type="linear", warmup_steps=15, weight_decay=0.01, logging_steps=5,
                         eval_strategy="steps", eval_steps=35, save_strategy="no", report_to="none", use_cpu=True,
                         disable_tqdm=True, seed=3)
tr = Trainer(model=model, args=args, train_dataset=train, eval_dataset=val)
tr.train(); tr.save_state()
val_loss = tr.evaluate()["eval_loss"]
model.eval()
with torch.no_grad():
    train_loss = model(input_ids=train.s[:500], labels=train.s[:500]).loss.item()
print(f"true entropy {H:.3f} nats, uniform {math.log(V):.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "train_loss": round(train_loss, 4),
                                     "entropy_floor": round(H, 4), "uniform_loss": round(math.log(V), 4)}))
