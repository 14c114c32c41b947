"""JUnit XML for CI systems that read test reports (GitLab, Jenkins, Azure, CircleCI): one test
case per run, one <failure> per finding at or above the --fail-on level, and one for a run that
could not be judged or that traindx stopped; other findings go to the case's system-out."""
from __future__ import annotations

import xml.etree.ElementTree as ET


def render(results: list, options) -> str:
    """`results`: [(run, diagnosis, plan)]; `options.fail_at`: the severity rank that fails (2
    error, 1 warning), None for --fail-on never (findings are reported, nothing fails)."""
    need = options.fail_at
    suite = ET.Element("testsuite", name="traindx", tests=str(len(results)))
    failures = 0
    for run, diagnosis, _ in results:
        case = ET.SubElement(suite, "testcase", classname="traindx.check", name=str(run.path))
        failing = [f for f in diagnosis.findings if need is not None and f.severity.rank >= need]
        for f in failing:
            ET.SubElement(case, "failure", message=f"{f.problem}: {f.summary}"[:1000],
                          type=f.severity.value).text = f.summary
        if need is not None and not diagnosis.judged:
            failing.append(None)
            ET.SubElement(case, "failure", message="not judged: " + "; ".join(diagnosis.not_judged_reasons),
                          type="not judged")
        if need is not None and diagnosis.stopped:
            failing.append(None)
            ET.SubElement(case, "failure", message=f"stopped by traindx: {diagnosis.stopped}", type="stopped")
        failures += bool(failing)
        rest = [f for f in diagnosis.findings if f not in failing]
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(
                f"{f.severity.value}: {f.problem}: {f.summary}" for f in rest)
    suite.set("failures", str(failures))
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
