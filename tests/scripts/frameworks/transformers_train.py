"""A torch module trained by Hugging Face's Trainer (gradient accumulation 2, clipping at 1.0);
its own log: trainer_state.json."""
import torch
from torch.utils.data import Dataset
from transformers import Trainer, TrainingArguments

from _data import args, data, mlp, test_split

a = args()
xt, yt, xv, yv = data()


class Pairs(Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"x": self.x[i], "labels": self.y[i]}


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net, self.loss = mlp(), torch.nn.CrossEntropyLoss()

    def forward(self, x, labels=None):
        logits = self.net(x)
        return {"loss": self.loss(logits, labels), "logits": logits}


def accuracy(p):
    return {"accuracy": float((p.predictions.argmax(-1) == p.label_ids).mean())}


callbacks = []
if a.callback:
    from traindx.integrations.transformers import TraindxCallback
    callbacks.append(TraindxCallback(out=a.callback))
targs = TrainingArguments(output_dir=a.logs, num_train_epochs=4, per_device_train_batch_size=16, learning_rate=a.lr,
                          gradient_accumulation_steps=2, lr_scheduler_type="constant", eval_strategy="epoch",
                          logging_steps=5, report_to=[], save_strategy="no", use_cpu=True, disable_tqdm=True)
trainer = Trainer(model=Model(), args=targs, train_dataset=Pairs(xt, yt), eval_dataset=Pairs(xv, yv),
                  compute_metrics=accuracy, callbacks=callbacks)
trainer.train()
trainer.save_state()
if a.test_shift is not None:
    trainer.evaluate(Pairs(*test_split(a.test_shift)), metric_key_prefix="test")
