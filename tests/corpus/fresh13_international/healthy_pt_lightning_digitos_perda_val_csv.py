# expect:
# allow:
# forbid: *
# evidence: healthy Lightning digits MLP (AdamW + OneCycle): val_acc 0.976, val_loss 0.0996, train_loss 0.011; chance 0.10
# native-log: registros_pl/versao_0/metrics.csv
# log-expect:
# log-allow:
"""Classificação de dígitos (load_digits) com PyTorch Lightning. Métricas registradas com nomes em
português (perda_treino, perda_val, acuracia_val) pelo CSVLogger do próprio Lightning. AdamW + OneCycleLR."""
import os, sys, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import TensorDataset, DataLoader
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
torch.set_num_threads(1)
random.seed(12); np.random.seed(12); torch.manual_seed(12); L.seed_everything(12, verbose=False)
pasta = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(pasta, exist_ok=True)

X, y = load_digits(return_X_y=True)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, random_state=12, stratify=y)
esc = StandardScaler().fit(X_tr)
ds_tr = TensorDataset(torch.tensor(esc.transform(X_tr), dtype=torch.float32), torch.tensor(y_tr))
ds_va = TensorDataset(torch.tensor(esc.transform(X_va), dtype=torch.float32), torch.tensor(y_va))
EPOCAS = 12
carregador_tr = DataLoader(ds_tr, batch_size=64, shuffle=True)
carregador_va = DataLoader(ds_va, batch_size=256)

class ClassificadorDigitos(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.rede = nn.Sequential(nn.Linear(64, 128), nn.GELU(), nn.Linear(128, 64), nn.GELU(), nn.Linear(64, 10))
    def forward(self, x):
        return self.rede(x)
    def training_step(self, lote, idx):
        x, y = lote
        perda = F.cross_entropy(self(x), y)
        self.log("perda_treino", perda, on_step=True, on_epoch=True)
        self.log("taxa_aprendizado", self.optimizers().param_groups[0]["lr"], on_step=True, on_epoch=False)
        return perda
    def validation_step(self, lote, idx):
        x, y = lote
        saida = self(x)
        self.log("perda_val", F.cross_entropy(saida, y), on_epoch=True)
        self.log("acuracia_val", (saida.argmax(1) == y).float().mean(), on_epoch=True)
    def on_validation_epoch_end(self):
        m = self.trainer.callback_metrics
        if "perda_treino_epoch" in m:
            print(f"Época {self.current_epoch+1}/{EPOCAS}: perda_treino={m['perda_treino_epoch']:.4f} perda_val={m['perda_val']:.4f} acurácia_val={100*m['acuracia_val']:.1f}%")
    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-2)
        agenda = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=EPOCAS * len(carregador_tr))
        return {"optimizer": opt, "lr_scheduler": {"scheduler": agenda, "interval": "step"}}

modelo = ClassificadorDigitos()
treinador = L.Trainer(max_epochs=EPOCAS, logger=CSVLogger(pasta, name="registros_pl", version="versao_0"), log_every_n_steps=5,
                      enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0, accelerator="cpu")
treinador.fit(modelo, carregador_tr, carregador_va)
m = treinador.callback_metrics
print("Treinamento concluído.")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(m["perda_val"]), 4), "val_acc": round(float(m["acuracia_val"]), 4), "train_loss": round(float(m["perda_treino_epoch"]), 4), "chance_acc": 0.1}))
