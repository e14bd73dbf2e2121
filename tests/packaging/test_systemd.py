"""deploy/systemd/pulsar-kinesis@.service: the rules of scripts/checks/packaging_checks.py systemd hold and find
what they are for (systemd-analyze verifies the installed unit in test_install.py)."""
import packaging_checks as checks
from conftest import ROOT

UNIT = (ROOT / "deploy/systemd/pulsar-kinesis@.service").read_text()


def problems(old, new):
    assert old in UNIT, old
    return checks.check_systemd(UNIT.replace(old, new))


def test_unit_follows_the_rules():
    assert checks.check_systemd(UNIT) == []


def test_rules_find_mistakes():
    assert problems("TimeoutStopSec=45s", "TimeoutStopSec=30s") == [
        "TimeoutStopSec=30s does not cover the drain (30 s) plus 5 s"]
    assert problems("--drain-timeout-ms 30000", "--drain-timeout-ms 60000") == [
        "TimeoutStopSec=45s does not cover the drain (60 s) plus 5 s"]
    assert problems("KillSignal=SIGTERM", "KillSignal=SIGINT") == ["KillSignal must be SIGTERM (the drain)"]
    assert problems("RestartPreventExitStatus=2", "RestartPreventExitStatus=3") == [
        "RestartPreventExitStatus must hold 2 (a bad configuration: restarting does not help)"]
    assert problems("/etc/pulsar-kinesis/%i.yaml\nExecReload", "/etc/pulsar-kinesis/main.yaml\nExecReload") == [
        "ExecStart must take --config <dir>/%i.yaml (one instance per file)"]
