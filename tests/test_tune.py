"""`traindx tune`: search spaces, strategies (reproducible), error marking, outputs."""
import json
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from traindx.cli import app
from traindx.errors import InputError
from traindx.train import config as C
from traindx.train import tune as T

torch.set_num_threads(1)
EXAMPLES = Path(__file__).parents[1] / "examples" / "configs"


def tiny():
    return C.validate({"data": {"n_train": 64, "n_val": 32, "n_test": 0},
                       "model": {"widths": [16]}, "training": {"epochs": 2, "batch_size": 32}})


def test_parse_spaces():
    p = T.parse_param("training.lr", "1e-5..1e-1:log")
    assert (p.kind, p.lo, p.hi, p.log) == ("range", 1e-5, 1e-1, True)
    assert T._grid(p) == [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]  # powers of ten across the range
    assert T._grid(T.parse_param("training.lr", "0.01..0.05:log")) == [0.015625, 0.03125]  # powers of 2
    c = T.parse_param("model.width", "32,64")
    assert c.key == "model.widths" and c.choices == (32, 64)
    assert T.to_patch(tiny(), {"model.widths": 32}) == {"model.widths": [32]}
    assert T.parse_param("training.optimizer", ["sgd", "adam"]).choices == ("sgd", "adam")
    for bad in [("training.lr", "1..0"), ("training.lr", "0..1:log"), ("training.optimizer", "sgd,lbfgs"),
                ("model.nope", "1,2")]:
        with pytest.raises(InputError):
            T.parse_param(*bad)


def test_evolution_is_reproducible_from_the_seed(tmp_path):
    space = [T.parse_param("training.lr", "1e-4..1e-1:log"), T.parse_param("training.optimizer", "sgd,adam")]
    runs = [T.search(tiny(), space, "evolution", 6, tmp_path / f"e{i}", seed=seed, population=3)
            for i, seed in enumerate((7, 7, 8))]
    a, b, c = ([(t.point, t.metrics["val_loss"]) for t in r] for r in runs)
    assert a == b and len(a) == 6
    assert [p for p, _ in a] != [p for p, _ in c]


def test_random_strategy_is_seeded():
    space = [T.parse_param("training.lr", "1e-4..1:log")]
    pts = [T.random_search(space, 4, __import__("numpy").random.default_rng(1), lambda ps: [0.0] * len(ps))
           for _ in range(2)]
    assert pts[0] == pts[1] and all(1e-4 <= p["training.lr"] <= 1 for p in pts[0])


def test_magnitude_finds_the_known_good_learning_rate(tmp_path):
    # stuck.yaml is plain SGD: lr 1e-4 does not converge; 0.1-1 trains the spirals to ~100%.
    best = tmp_path / "best.yaml"
    r = CliRunner().invoke(app, ["tune", str(EXAMPLES / "stuck.yaml"), "--param", "training.lr=1e-5..1:log",
                                 "--strategy", "magnitude", "--epochs-per-trial", "10", "-o", str(tmp_path / "t"),
                                 "--best", str(best), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)["tune"]
    grid = sorted(t["params"]["training.lr"] for t in doc["trials"] if t["trial"] <= 6)
    assert grid == pytest.approx([1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1])
    assert 0.1 <= doc["best"]["params"]["training.lr"] <= 1
    assert C.load(best)["training"]["lr"] == doc["best"]["params"]["training.lr"]


def test_trial_with_an_error_finding_is_marked_and_ranked_last(tmp_path):
    # exploding.yaml's std-0.5 init blows up to NaN; He init at the same lr trains.
    args = ["tune", str(EXAMPLES / "exploding.yaml"), "--param", "model.init=normal,he", "--epochs-per-trial", "3"]
    r = CliRunner().invoke(app, args + ["-o", str(tmp_path / "t")])
    assert r.exit_code == 0, r.output
    assert "✘" in r.stdout and "had an error finding" in r.stdout
    r = CliRunner().invoke(app, args + ["-o", str(tmp_path / "j"), "--format", "json"])
    doc = json.loads(r.stdout)["tune"]
    assert [t["params"]["model.init"] for t in doc["trials"]] == ["he", "normal"]
    assert not doc["trials"][0]["errors"] and "non_finite" in doc["trials"][1]["errors"]
    assert doc["best"]["params"]["model.init"] == "he"


def test_tune_section_and_bad_input(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {n_train: 64, n_val: 32}\ntraining: {epochs: 1}\n"
                   "tune: {strategy: random, trials: 2, params: {training.lr: 1e-3..1e-1:log}}\n")
    r = CliRunner().invoke(app, ["tune", str(cfg), "-o", str(tmp_path / "t"), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)["tune"]
    assert doc["strategy"] == "random" and len(doc["trials"]) == 2
    r = CliRunner().invoke(app, ["tune", str(cfg), "--param", "training.lr=fast..slow"])
    assert r.exit_code == 2 and "key training.lr" in r.stderr
