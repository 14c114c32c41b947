"""A LightningModule trained with SGD; its own log: CSVLogger's metrics.csv."""
import lightning.pytorch as pl
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

from _data import args, data, mlp, test_split

a = args()
xt, yt, xv, yv = data()


class Classifier(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = mlp()

    def training_step(self, batch, i):
        if a.interrupt_at and self.global_step == a.interrupt_at:
            raise KeyboardInterrupt
        x, y = batch
        loss = F.cross_entropy(self.net(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, i):
        x, y = batch
        out = self.net(x)
        self.log("val_loss", F.cross_entropy(out, y))
        self.log("val_acc", (out.argmax(1) == y).float().mean())

    def test_step(self, batch, i):
        x, y = batch
        out = self.net(x)
        self.log("test_loss", F.cross_entropy(out, y))
        self.log("test_acc", (out.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=a.lr, momentum=0.9)


callbacks = []
if a.callback:
    from traindx.integrations.lightning import TraindxCallback
    callbacks.append(TraindxCallback(out=a.callback))
trainer = pl.Trainer(max_epochs=4, callbacks=callbacks, logger=pl.loggers.CSVLogger(a.logs), log_every_n_steps=5,
                     enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False)
model = Classifier()
trainer.fit(model, DataLoader(TensorDataset(xt, yt), batch_size=32, shuffle=True),
            DataLoader(TensorDataset(xv, yv), batch_size=100))
if a.test_shift is not None:
    trainer.test(model, DataLoader(TensorDataset(*test_split(a.test_shift)), batch_size=100), verbose=False)
