# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias
# forbid: *
# control: --control
# evidence: planted AdamW lr=5e-2 (no clipping): train loss falls to 0.44 during warm-up, then jumps back to 0.69-0.73 (= ln2, chance) once lr peaks and stays there (grad_norm spikes to 36), final train_loss 0.690, eval_accuracy 0.54; control lr=1e-3: train_loss 0.020, eval_loss 0.041, eval_accuracy 0.991 (chance 0.5)
# native-log: hf_out/checkpoint-final/trainer_state.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias
# HF Trainer conventions kept by hand: log_history with {"loss","grad_norm","learning_rate","epoch","step"}
# every logging_steps, {"eval_loss","eval_accuracy","eval_runtime",...} at each epoch end, and the final
# {"train_loss","train_runtime",...} summary entry.
import argparse, json, math, os, tempfile, time
import torch
from torch import nn

cli = argparse.ArgumentParser()
cli.add_argument('--control', action='store_true')
CONTROL = cli.parse_args().control
torch.set_num_threads(1)
torch.manual_seed(2)

VOCAB, SEQ = 50, 24
POS, NEG = list(range(2, 8)), list(range(8, 14))


def make_split(n, gen):
    x = torch.randint(14, VOCAB, (n, SEQ), generator=gen)
    npos = torch.randint(0, 6, (n,), generator=gen)
    nneg = torch.randint(0, 6, (n,), generator=gen)
    keep = npos != nneg
    x, npos, nneg = x[keep], npos[keep], nneg[keep]
    for i in range(len(x)):
        slots = torch.randperm(SEQ, generator=gen)[: int(npos[i] + nneg[i])]
        for j, s in enumerate(slots):
            pool = POS if j < npos[i] else NEG
            x[i, s] = pool[int(torch.randint(0, len(pool), (1,), generator=gen))]
    return x, (npos > nneg).long()


class TinyEncoderForSequenceClassification(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, d)
        self.pos = nn.Parameter(torch.zeros(SEQ, d))
        layer = nn.TransformerEncoderLayer(d, 4, 96, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.classifier = nn.Linear(d, 2)

    def forward(self, input_ids, labels=None):
        h = self.encoder(self.embed(input_ids) + self.pos)
        logits = self.classifier(h.mean(1))
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return loss, logits


gen = torch.Generator().manual_seed(2)
train_x, train_y = make_split(1600, gen)
eval_x, eval_y = make_split(400, gen)

args = dict(learning_rate=1e-3 if CONTROL else 5e-2,  # someone copied the lr of an SGD recipe
            num_train_epochs=5, per_device_train_batch_size=32, warmup_ratio=0.1,
            logging_steps=10, weight_decay=0.01)
model = TinyEncoderForSequenceClassification()
optimizer = torch.optim.AdamW(model.parameters(), lr=args["learning_rate"], weight_decay=args["weight_decay"])
steps_per_epoch = math.ceil(len(train_x) / args["per_device_train_batch_size"])
max_steps = steps_per_epoch * args["num_train_epochs"]
warm = int(args["warmup_ratio"] * max_steps)
scheduler = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda s: s / max(1, warm) if s < warm else max(0.0, (max_steps - s) / max(1, max_steps - warm)))

log_history, step, t_start = [], 0, time.time()
running, n_running, total_loss = 0.0, 0, 0.0
best = None
for epoch in range(args["num_train_epochs"]):
    model.train()
    for b in torch.randperm(len(train_x)).split(args["per_device_train_batch_size"]):
        loss, _ = model(train_x[b], train_y[b])
        optimizer.zero_grad()
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), float('inf'))
        optimizer.step()
        scheduler.step()
        step += 1
        running += loss.item(); n_running += 1; total_loss += loss.item()
        if step % args["logging_steps"] == 0:
            log_history.append({"epoch": round(step / steps_per_epoch, 4), "grad_norm": float(gn),
                                "learning_rate": scheduler.get_last_lr()[0], "loss": round(running / n_running, 4),
                                "step": step})
            running, n_running = 0.0, 0
    model.eval()
    t0 = time.time()
    with torch.no_grad():
        el, logits = model(eval_x, eval_y)
    acc = (logits.argmax(-1) == eval_y).float().mean().item()
    rt = time.time() - t0
    log_history.append({"epoch": float(epoch + 1), "eval_accuracy": acc, "eval_loss": el.item(),
                        "eval_runtime": round(rt, 4), "eval_samples_per_second": round(len(eval_x) / rt, 3),
                        "eval_steps_per_second": round(math.ceil(len(eval_x) / 8) / rt, 3), "step": step})
    print(log_history[-1])
    if best is None or el.item() < best:
        best = el.item()

runtime = time.time() - t_start
log_history.append({"epoch": float(args["num_train_epochs"]), "step": step, "total_flos": 0.0,
                    "train_loss": total_loss / step, "train_runtime": round(runtime, 4),
                    "train_samples_per_second": round(len(train_x) * args["num_train_epochs"] / runtime, 3),
                    "train_steps_per_second": round(step / runtime, 3)})
state = {"best_global_step": None, "best_metric": None, "best_model_checkpoint": None,
         "epoch": float(args["num_train_epochs"]), "eval_steps": None, "global_step": step,
         "is_hyper_param_search": False, "is_local_process_zero": True, "is_world_process_zero": True,
         "log_history": log_history, "logging_steps": args["logging_steps"], "max_steps": max_steps,
         "num_input_tokens_seen": 0, "num_train_epochs": args["num_train_epochs"], "save_steps": 500,
         "stateful_callbacks": {}, "total_flos": 0.0, "train_batch_size": args["per_device_train_batch_size"],
         "trial_name": None, "trial_params": None}
out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "hf_out", "checkpoint-final")
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "trainer_state.json"), "w") as f:
    json.dump(state, f, indent=2, sort_keys=True)

with torch.no_grad():
    model.eval()
    tl, _ = model(train_x, train_y)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(el.item(), 4), "val_acc": round(acc, 4),
                                     "train_loss": round(tl.item(), 4), "chance_acc": 0.5}))
