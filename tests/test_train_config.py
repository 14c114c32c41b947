"""The trainer's config: defaults, validation errors (one line, exit 2), patches."""
from pathlib import Path

import pytest
from typer.testing import CliRunner

from traindx.cli import app
from traindx.errors import InputError
from traindx.train import builtin_config, builtin_names
from traindx.train import config as C


def test_defaults():
    # Pinned on purpose: change a default deliberately and update docs/trainer.md with it.
    cfg = C.defaults()
    assert cfg["data"]["dataset"] == "spirals" and cfg["data"]["normalize"] == "zscore"
    assert cfg["model"]["widths"] == [64, 64] and cfg["model"]["init"] == "auto"
    assert cfg["training"]["optimizer"] == "adam" and cfg["training"]["lr"] == 1e-3
    assert cfg["training"]["epochs"] == 20 and cfg["record"]["every"] == 5


@pytest.mark.parametrize("doc, message", [
    ({"modle": {}}, "key modle: unknown"),
    ({"model": {"widht": [3]}}, "key model.widht: unknown"),
    ({"training": {"optimizer": "adamw"}}, "key training.optimizer: must be one of"),
    ({"training": {"lr": "fast"}}, "key training.lr: must be a number"),
    ({"training": {"lr": -1}}, "key training.lr: must be between"),
    ({"training": {"epochs": 2.5}}, "key training.epochs: must be a whole number"),
    ({"model": {"batch_norm": "yes"}}, "key model.batch_norm: must be true or false"),
    ({"model": {"widths": []}}, "key model.widths: must be a non-empty list"),
    ({"data": {"dataset": "csv"}}, "key data.path: required"),
    ({"model": {"type": "cnn"}}, "key model.type: cnn needs image data"),
    ([1, 2], "must be a YAML mapping"),
])
def test_validation_errors_name_the_key(doc, message):
    with pytest.raises(InputError) as exc:
        C.validate(doc, "cfg.yaml")
    assert message in str(exc.value) and str(exc.value).startswith("cfg.yaml: ")


def test_yaml_numbers_without_dot_are_read():
    assert C.validate({"training": {"lr": "1e-3"}})["training"]["lr"] == 1e-3


def test_patch_multiplies_and_validates():
    cfg = C.validate({"model": {"widths": [8, 16]}, "training": {"lr": 0.01}, "data": {"n_train": 100}})
    out = C.patch(cfg, {"model.widths": "*4", "training.lr": "*0.1", "data.n_train": "*4",
                        "model.batch_norm": True})
    assert out["model"]["widths"] == [32, 64] and out["data"]["n_train"] == 400
    assert out["training"]["lr"] == pytest.approx(0.001) and out["model"]["batch_norm"] is True
    assert cfg["model"]["widths"] == [8, 16]  # the original is untouched
    with pytest.raises(InputError, match="key model.nope"):
        C.patch(cfg, {"model.nope": 1})
    with pytest.raises(InputError, match="key training.optimizer"):
        C.patch(cfg, {"training.optimizer": "lbfgs"})


def test_every_rules_patch_key_is_supported():
    from traindx.remedies import builtin_rules
    cfg = C.defaults()
    for rule in builtin_rules():
        if rule.config_patch:
            C.patch(cfg, rule.config_patch)  # raises on an unknown key or a bad value


def test_builtin_and_example_configs_validate():
    assert {"healthy", "overfitting", "vanishing", "exploding", "stuck"} <= set(builtin_names())
    for name in builtin_names():
        builtin_config(name)
    examples = sorted(Path(__file__).parents[1].joinpath("examples", "configs").glob("*.yaml"))
    assert len(examples) >= 6
    for path in examples:
        C.load(path)


@pytest.mark.parametrize("text, message", [
    ("model:\n  activation: swish\n", "key model.activation: must be one of"),
    ("training: {lr: 0.1\n", "not valid YAML"),
    ("data:\n  n_trian: 10\n", "key data.n_trian: unknown"),
])
def test_cli_config_error_is_one_line_exit_2(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = CliRunner().invoke(app, ["train", str(path), "-o", str(tmp_path / "run")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("traindx: error: ") and message in lines[0]
    assert "Traceback" not in result.output


def test_cli_missing_config_and_bad_set(tmp_path):
    r = CliRunner().invoke(app, ["train", str(tmp_path / "nope.yaml")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    good = tmp_path / "ok.yaml"
    good.write_text("training: {epochs: 1}\n")
    r = CliRunner().invoke(app, ["train", str(good), "--set", "training.lr"])
    assert r.exit_code == 2 and "expected KEY=VALUE" in r.stderr
