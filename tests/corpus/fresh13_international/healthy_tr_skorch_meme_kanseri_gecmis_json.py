# expect:
# allow:
# forbid: *
# evidence: healthy skorch pipeline, batch 16: internal valid loss 0.073 / acc 0.977; held-out test loss 0.048, acc 0.993 (majority 0.629)
# native-log: egitim_gecmisi.json
# log-expect:
# log-allow:
"""skorch ile meme kanseri sınıflandırması (load_breast_cancer): sklearn Pipeline (StandardScaler + NeuralNetClassifier),
küçük batch (16), Adam, skorch'un kendi doğrulama bölmesi. Türkçe ilerleme satırları yazan bir callback ve
Türkçe anahtarlı JSON eğitim geçmişi."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetClassifier
from skorch.callbacks import Callback
from skorch.dataset import ValidSplit
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(19); np.random.seed(19); random.seed(19)
klasor = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(klasor, exist_ok=True)

class Ag(nn.Module):
    def __init__(self):
        super().__init__()
        self.katmanlar = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 2))
    def forward(self, X):
        return self.katmanlar(X)

class TurkceYazici(Callback):
    def on_epoch_end(self, net, **kwargs):
        s = net.history[-1]
        print(f"Dönem {s['epoch']:2d} | eğitim kaybı {s['train_loss']:.4f} | doğrulama kaybı {s['valid_loss']:.4f} | doğruluk %{100*s['valid_acc']:.1f}".replace(".", ","))

X, y = load_breast_cancer(return_X_y=True)
X = X.astype(np.float32); y = y.astype(np.int64)
X_eg, X_test, y_eg, y_test = train_test_split(X, y, test_size=0.25, random_state=19, stratify=y)
ag = NeuralNetClassifier(Ag, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.Adam, lr=1e-3, max_epochs=25, batch_size=16,
                         train_split=ValidSplit(0.2, stratified=True, random_state=19), callbacks=[TurkceYazici()], verbose=0, iterator_train__shuffle=True)
boru = make_pipeline(StandardScaler(), ag)
boru.fit(X_eg, y_eg)
gecmis = [{"dönem": h["epoch"], "eğitim_kaybı": round(h["train_loss"], 5), "doğrulama_kaybı": round(h["valid_loss"], 5), "doğrulama_doğruluğu": round(h["valid_acc"], 4)} for h in ag.history]
with open(os.path.join(klasor, "egitim_gecmisi.json"), "w", encoding="utf-8") as f:
    json.dump(gecmis, f, ensure_ascii=False, indent=2)
olas = boru.predict_proba(X_test)
test_kayip = float(-np.log(olas[np.arange(len(y_test)), y_test] + 1e-12).mean()); test_dogruluk = float((olas.argmax(1) == y_test).mean())
print(f"Test: kayıp {test_kayip:.4f}, doğruluk %{100*test_dogruluk:.1f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_kayip, 4), "val_acc": round(test_dogruluk, 4), "train_loss": round(ag.history[-1]["train_loss"], 4), "chance_acc": round(float(max(y_test.mean(), 1 - y_test.mean())), 4)}))
