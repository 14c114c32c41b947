"""A 12-layer MLP with sigmoid activations ("smooth, bounded, like the textbook") as a custom
nn.Module under the HF Trainer with plain SGD. Sigmoid's derivative is <= 0.25, so the gradient
shrinks by ~10x every couple of layers: the first layers get ~1e-6 of the last layer's gradient
and the network barely learns. A probe prints per-layer gradient norms after a backward pass.
trainer_state.json in $CORPUS_LOG_DIR.

--control uses ReLU in the same 12-layer network (same He init), nothing else changes.
"""
# expect: vanishing_gradients
# allow: non_convergence, saturated_activations, high_bias, learning_rate_too_low, poor_initialization
# forbid: *
# evidence: control (ReLU) val_acc 0.88, val_loss 0.34, first/last grad-norm ratio 3.1; planted (sigmoid x12): first/last layer grad-norm ratio 1.1e-5, loss stuck at 1.386 (ln4), val_acc 0.24 (chance 0.25)
# control: --control
# native-log: trainer_state.json
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
import argparse, json, os, tempfile, warnings

import torch
import torch.nn as nn
from torch.utils.data import Dataset
from transformers import Trainer, TrainingArguments
from transformers.utils import logging as hf_logging

warnings.filterwarnings("ignore")
hf_logging.set_verbosity_error()
torch.set_num_threads(1)


class Quadrants(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.x = torch.randn(n, 20, generator=g)
        u = self.x[:, :5].sum(1) / 2.2
        v = self.x[:, 5:10].sum(1) / 2.2 + 0.5 * torch.tanh(self.x[:, 10])
        self.y = (u > 0).long() * 2 + (v > 0).long()

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"inputs": self.x[i], "labels": self.y[i]}


class DeepMLP(nn.Module):
    def __init__(self, act, depth=12, width=64):
        super().__init__()
        layers, d = [], 20
        for _ in range(depth):
            lin = nn.Linear(d, width)
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")  # project-wide init helper
            nn.init.zeros_(lin.bias)
            layers += [lin, act()]
            d = width
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(width, 4)

    def forward(self, inputs, labels=None):
        logits = self.head(self.body(inputs))
        if labels is None:
            return {"logits": logits}
        return {"loss": nn.functional.cross_entropy(logits, labels), "logits": logits}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    torch.manual_seed(0)
    model = DeepMLP(nn.ReLU if a.control else nn.Sigmoid)
    train, val = Quadrants(3000, 0), Quadrants(800, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), max_steps=300, per_device_train_batch_size=32,
                             eval_strategy="steps", eval_steps=50, logging_steps=10, save_strategy="no",
                             report_to="none", disable_tqdm=True, use_cpu=True, seed=0)
    trainer = Trainer(model=model, args=args, train_dataset=train, eval_dataset=val, optimizers=(opt, None),
                      compute_metrics=lambda p: {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())})
    trainer.train()
    ev = trainer.evaluate()
    logd = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(logd, exist_ok=True)
    trainer.state.save_to_json(os.path.join(logd, "trainer_state.json"))
    # probe: gradient norm of each Linear's weight on one batch
    model.zero_grad()
    model(train.x[:256], train.y[:256])["loss"].backward()
    norms = [m.weight.grad.norm().item() for m in model.body if isinstance(m, nn.Linear)]
    tl = trainer.predict(Quadrants(800, 0)).metrics["test_loss"]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev["eval_loss"], 4), "val_acc": round(ev["eval_accuracy"], 4),
                                         "train_loss": round(tl, 4), "chance_acc": 0.25,
                                         "grad_ratio_first_last": float("%.3g" % (norms[0] / norms[-1]))}))


if __name__ == "__main__":
    main()
