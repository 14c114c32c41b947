"""The spelling table's words in the languages training logs are written in besides English: a
German `val_verlust`, a French `perte_val`, a Chinese `验证损失`, a Turkish `doğrulama_kaybı` are read
as `val_loss`. Each word (or phrase) maps to the English word the table (names.py) knows; words
written without separators (`训练损失`, `学習率`, `Trainingsverlust`) are cut into known words first.
Only words that name a data split, a metric, or an axis are here: anything else passes unchanged."""
from __future__ import annotations

import unicodedata

# phrases first: "learning rate" is one thing (`taux_apprentissage` is not the train split's taux)
PHRASES = {
    ("taux", "apprentissage"): "lr", ("taux", "d", "apprentissage"): "lr",  # fr
    ("tasa", "aprendizaje"): "lr", ("tasa", "de", "aprendizaje"): "lr",  # es
    ("taxa", "aprendizado"): "lr", ("taxa", "de", "aprendizado"): "lr",  # pt
    ("taxa", "aprendizagem"): "lr", ("taxa", "de", "aprendizagem"): "lr",
    ("tasso", "apprendimento"): "lr", ("tasso", "di", "apprendimento"): "lr",  # it
    ("скорость", "обучения"): "lr",  # ru
    ("öğrenme", "oranı"): "lr", ("ogrenme", "orani"): "lr",  # tr
    ("на", "проверке"): "val", ("на", "валидации"): "val", ("на", "тесте"): "test",  # ru "loss on val"
}
WORDS = {
    # loss
    "verlust": "loss", "perte": "loss", "pérdida": "loss", "perdida": "loss", "perda": "loss",
    "perdita": "loss", "потери": "loss", "потеря": "loss", "лосс": "loss", "损失": "loss", "損失": "loss",
    "손실": "loss", "kayıp": "loss", "kayip": "loss", "kaybı": "loss", "kaybi": "loss",
    # accuracy
    "genauigkeit": "accuracy", "précision": "accuracy", "exactitude": "accuracy",
    "precisión": "accuracy", "exactitud": "accuracy", "acurácia": "accuracy", "acuracia": "accuracy",
    "precisão": "accuracy", "accuratezza": "accuracy", "точность": "accuracy", "准确率": "accuracy",
    "正确率": "accuracy", "精度": "accuracy", "正解率": "accuracy", "정확도": "accuracy",
    "doğruluk": "accuracy", "dogruluk": "accuracy", "doğruluğu": "accuracy", "dogrulugu": "accuracy",
    # splits
    "training": "train", "trainings": "train", "entrainement": "train", "entraînement": "train",
    "apprentissage": "train", "entrenamiento": "train", "treino": "train", "treinamento": "train",
    "addestramento": "train", "allenamento": "train", "обучение": "train", "обучения": "train",
    "обуч": "train", "трен": "train", "训练": "train", "訓練": "train", "学習": "train", "학습": "train",
    "훈련": "train", "eğitim": "train", "egitim": "train",
    "validierung": "val", "validierungs": "val", "validación": "val", "validacion": "val",
    "validação": "val", "validacao": "val", "validazione": "val", "валидация": "val", "валидации": "val",
    "вал": "val", "проверка": "val", "проверке": "val", "验证": "val", "検証": "val", "검증": "val",
    "doğrulama": "val", "dogrulama": "val",
    "prueba": "test", "teste": "test", "тест": "test", "тесте": "test", "测试": "test", "テスト": "test",
    "테스트": "test",
    # axes
    "epoche": "epoch", "époque": "epoch", "epoque": "epoch", "época": "epoch", "epoca": "epoch",
    "эпоха": "epoch", "轮次": "epoch", "轮": "epoch", "エポック": "epoch", "에폭": "epoch", "에포크": "epoch",
    "dönem": "epoch", "donem": "epoch", "devir": "epoch",
    "schritt": "step", "étape": "step", "paso": "step", "passo": "step", "шаг": "step", "步": "step",
    "步数": "step", "ステップ": "step", "스텝": "step", "adım": "step", "adim": "step",
    # learning rate, written as one word
    "lernrate": "lr", "学习率": "lr", "学習率": "lr", "학습률": "lr",
}
_LONGEST = max(len(w) for w in WORDS)


def english(words: list[str]) -> list[str]:
    """`words` (lower case) with the other languages' words of the table in English."""
    cut = [part for w in words for part in (_compound(w) or [w])]
    out, i = [], 0
    while i < len(cut):
        for n in (3, 2):
            phrase = tuple(unicodedata.normalize("NFC", w) for w in cut[i:i + n])
            if len(phrase) == n and phrase in PHRASES:
                out.append(PHRASES[phrase])
                i += n
                break
        else:
            out.append(WORDS.get(unicodedata.normalize("NFC", cut[i]), cut[i]))
            i += 1
    return out


def _compound(word: str) -> list[str] | None:
    """A word written as several of the table's words (`训练损失`, `trainingsverlust`), cut at the
    longest known word from the left; unknown characters stay together as a word of their own
    (`平衡准确率`: `平衡`, `准确率`). None when no part is known or the word is one known word."""
    word = unicodedata.normalize("NFC", word)
    if word in WORDS or len(word) < 2:
        return None
    parts, unknown, i = [], "", 0
    while i < len(word):
        hit = next((word[i:i + n] for n in range(min(_LONGEST, len(word) - i), 0, -1)
                    if word[i:i + n] in WORDS and (n > 1 or not word.isascii())), None)
        if hit is None:
            unknown += word[i]
            i += 1
            continue
        if unknown:
            parts.append(unknown)
            unknown = ""
        parts.append(hit)
        i += len(hit)
    if unknown:
        parts.append(unknown)
    known = [p for p in parts if p in WORDS]
    # a Latin-script word is cut only into known words (`verlauf` holds no `verlust`)
    if not known or _latin(word) and len(known) < len(parts):
        return None
    return parts


def _latin(word: str) -> bool:
    """Whether every letter of the word is a Latin one (its words are separated by the writer)."""
    return all("LATIN" in unicodedata.name(c, "") for c in word if c.isalpha())
