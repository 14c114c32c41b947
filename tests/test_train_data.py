"""Built-in data sets, splits, normalisation, noise, imbalance, folds and files."""
import numpy as np
import pytest

from traindx.errors import InputError
from traindx.train import config as C
from traindx.train import data as D


def cfg(**data):
    return C.validate({"data": data})


@pytest.mark.parametrize("name", ["spirals", "blobs", "teacher", "regression", "bars"])
def test_generators_shapes_and_determinism(name):
    c = cfg(dataset=name, n_train=40, n_val=20, n_test=10, n_features=3)
    a, b = D.make(c), D.make(c)
    assert len(a.x_train) == 40 and len(a.x_val) == 20 and len(a.x_test) == 10
    assert np.array_equal(a.x_train, b.x_train) and np.array_equal(a.y_val, b.y_val)
    assert a.task == ("regression" if name == "regression" else "classification")
    if name == "bars":
        assert a.input_shape == (1, 8, 8)


def test_more_training_data_keeps_val_and_test():
    small, big = D.make(cfg(n_train=50)), D.make(cfg(n_train=200))
    assert np.array_equal(small.x_val, big.x_val) and np.array_equal(small.y_test, big.y_test)
    assert np.array_equal(small.x_train, big.x_train[:50])  # smaller sets are prefixes


def test_imbalance_label_noise_and_class_weights():
    d = D.make(cfg(n_train=2000, imbalance=10.0, n_classes=3))
    counts = np.bincount(d.y_train, minlength=3)
    assert 6 < counts[0] / counts[2] < 15
    w = D.class_weights(d.y_train, 3)
    assert w[2] > w[1] > w[0]
    clean, noisy = D.make(cfg(n_train=1000)), D.make(cfg(n_train=1000, label_noise=0.3))
    changed = (clean.y_train != noisy.y_train).mean()
    assert 0.15 < changed < 0.3  # 30% re-drawn, a third of them land on the same class


def test_normalisation_uses_train_statistics():
    d = D.make(cfg(scale=100.0, shift=5.0))
    z = D.normalize(d, "zscore")
    assert np.allclose(z.x_train.mean(0), 0, atol=1e-4) and np.allclose(z.x_train.std(0), 1, atol=1e-3)
    m = D.normalize(d, "minmax")
    assert m.x_train.min() == pytest.approx(0) and m.x_train.max() == pytest.approx(1)
    assert D.normalize(d, "none") is d


def test_folds_partition_the_pool():
    d = D.make(cfg(n_train=60, n_val=30))
    folds = D.folds(d, 3, seed=0)
    assert len(folds) == 3 and all(len(f.x_val) == 30 and len(f.x_train) == 60 for f in folds)


def test_oversample_balances_classes():
    y = np.array([0] * 90 + [1] * 10)
    idx = D.oversample_index(y, 2, np.random.default_rng(0))
    assert 0.35 < (y[idx] == 1).mean() < 0.65


def test_csv_and_npz_files(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 3))
    y = (x[:, 0] > 0).astype(int)
    csv = tmp_path / "d.csv"
    np.savetxt(csv, np.column_stack([x, y]), delimiter=",", header="a,b,c,label", comments="")
    d = D.make(C.validate({"data": {"dataset": "csv", "path": str(csv), "target": "label"}}))
    assert d.task == "classification" and d.n_classes == 2 and d.input_shape == (3,)
    assert len(d.x_train) + len(d.x_val) + len(d.x_test) == 100
    npz = tmp_path / "d.npz"
    np.savez(npz, x=x, y=x.sum(1))
    r = D.make(C.validate({"data": {"dataset": "npz", "path": str(npz)}}))
    assert r.task == "regression"
    with pytest.raises(InputError, match="no such data file"):
        D.make(C.validate({"data": {"dataset": "csv", "path": str(tmp_path / "x.csv")}}))
