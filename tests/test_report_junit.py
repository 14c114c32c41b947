"""`check --format junit`: the XML test report CI systems read."""
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from traindx.cli import app
from fixtures.logs import writers


def test_one_case_per_run_and_a_failure_per_finding_at_fail_on(tmp_path):
    bad = writers.plain_csv(tmp_path / "bad.csv", "diverge")
    good = writers.plain_csv(tmp_path / "good.csv", "healthy")
    r = CliRunner().invoke(app, ["check", str(bad), str(good), "--format", "junit"])
    assert r.exit_code == 1, r.output
    suite = ET.fromstring(r.stdout.split("\n", 1)[1])
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {str(bad), str(good)} and suite.get("failures") == "1"
    assert cases[str(bad)].findall("failure") and not cases[str(good)].findall("failure")
    never = CliRunner().invoke(app, ["check", str(bad), "--format", "junit", "--fail-on", "never"])
    assert never.exit_code == 0 and "<failure" not in never.stdout and "system-out" in never.stdout
