"""The HTML report: one self-contained file (no script, no network) with every part drawn."""
from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

import traindx
from traindx.api import diagnose_path
from traindx.report import Format, render


class Parsed(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, int] = {}
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_data(self, data):
        self.text.append(data)


def _vanishing_run(tmp_path) -> Path:
    """Eight sigmoid layers with plain SGD: gradients vanish toward the input."""
    torch.manual_seed(0)
    layers = []
    for _ in range(8):
        layers += [torch.nn.Linear(32, 32), torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(32, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    x, y = torch.randn(512, 32), torch.randint(0, 3, (512,))
    with traindx.watch(out=tmp_path / "vanishing", alerts=False) as w:
        for _ in range(120):
            i = torch.randint(0, 512, (32,))
            loss = F.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return w.path


def test_html_report_is_self_contained_with_every_part(tmp_path):
    reports = diagnose_path(_vanishing_run(tmp_path))
    doc = render(reports, Format.html)
    p = Parsed()
    p.feed(doc)
    assert "vanishing_gradients" in doc and "<script" not in doc
    assert not p.urls  # nothing loaded from anywhere: opens from a CI artifact
    assert p.tags["svg"] >= 4  # curves, two heat maps, activation health
    assert p.tags["polyline"] >= 1 and p.tags["rect"] > 50
    text = " ".join(p.text)
    for part in ("Findings", "Curves", "Relative gradient", "Update ratio", "Activation health",
                 "Remedy plan", "setup:"):
        assert part in text, part
    assert "(step " in text  # the finding marked on the curves at its step


def test_several_runs_in_one_file_and_the_cli_format(tmp_path):
    from typer.testing import CliRunner
    from traindx.cli import app
    path = _vanishing_run(tmp_path)
    r = CliRunner().invoke(app, ["check", str(path), str(path), "--format", "html", "--fail-on", "never"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("<!DOCTYPE html>") and r.stdout.count("<section>") == 2


@pytest.mark.slow
def test_the_report_renders_in_a_real_browser(tmp_path):
    """Headless Chromium draws it to a PNG without a console error (skipped without Chromium)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no chromium (apt-get install -y chromium)")
    page = tmp_path / "report.html"
    page.write_text(render(diagnose_path(_vanishing_run(tmp_path)), Format.html))
    png = tmp_path / "report.png"
    done = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--enable-logging=stderr", "--v=0", f"--screenshot={png}", "--window-size=1000,1600",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    assert png.exists() and png.stat().st_size > 20_000, done.stderr[-2000:]
    assert "CONSOLE" not in done.stderr and "Uncaught" not in done.stderr
