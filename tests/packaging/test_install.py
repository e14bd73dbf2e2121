"""`cmake --install` into a temporary prefix: the tree (every file, nothing else), the installed binary runs
`version`, the installed systemd unit names the installed binary and passes systemd-analyze verify, and the flags
that the unit, the Docker image and the Kubernetes Deployments pass exist in the binary's --help."""
import json
import shlex
from pathlib import Path

import packaging_checks as checks
import yaml
from conftest import ROOT, env_path, run


def installed_files(prefix):
    return sorted(str(p.relative_to(prefix)) for p in prefix.rglob("*") if p.is_file() or p.is_symlink())


def expected_files():
    docs = ["README.md"] + sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    return sorted(
        ["bin/pulsar-kinesis", "lib/systemd/system/pulsar-kinesis@.service",
         "share/pulsar-kinesis/grafana/pulsar-kinesis.json",
         "share/pulsar-kinesis/prometheus/pulsar-kinesis-alerts.yaml"]
        + [f"share/pulsar-kinesis/examples/{p.name}" for p in (ROOT / "deploy/examples").glob("*.yaml")]
        + [f"share/pulsar-kinesis/kubernetes/{p.name}" for p in (ROOT / "deploy/kubernetes").glob("*.yaml")]
        + [f"share/doc/pulsar-kinesis/{name}" for name in docs])


def test_full_install(tmp_path):
    prefix = tmp_path / "prefix"
    run("cmake", "--install", env_path("PK_BUILD_DIR"), "--prefix", prefix)
    assert installed_files(prefix) == expected_files()
    assert "operations.md" in {p.name for p in (prefix / "share/doc/pulsar-kinesis").iterdir()}

    version = run(prefix / "bin/pulsar-kinesis", "version")
    assert version.stdout == f"pulsar-kinesis {env_path('PK_VERSION')}\n"

    unit_path = prefix / "lib/systemd/system/pulsar-kinesis@.service"
    unit = checks.unit_settings(unit_path.read_text())
    exec_start = shlex.split(unit["ExecStart"][-1])
    assert exec_start[0] == str(prefix / "bin/pulsar-kinesis")
    assert unit["Documentation"] == [f"file://{prefix}/share/doc/pulsar-kinesis/operations.md"]
    # verify checks the unit against the real binary (it must exist and be executable); it says nothing when happy.
    instance = unit_path.parent / "pulsar-kinesis@example.service"
    instance.symlink_to(unit_path.name)
    verify = run("systemd-analyze", "verify", instance)
    assert verify.stdout + verify.stderr == ""


def test_runtime_component_is_the_binary_alone(tmp_path):
    prefix = tmp_path / "prefix"
    run("cmake", "--install", env_path("PK_BUILD_DIR"), "--prefix", prefix, "--component", "runtime")
    assert installed_files(prefix) == ["bin/pulsar-kinesis"]


def command_lines():
    """Every way we start the daemon: (where, arguments after the program name)."""
    lines = []
    unit = checks.unit_settings((ROOT / "deploy/systemd/pulsar-kinesis@.service").read_text())
    lines.append(("systemd ExecStart", shlex.split(unit["ExecStart"][-1].replace("${PK_COMMAND}", "run"))[1:]))
    runtime = checks.dockerfile_stages((ROOT / "deploy/docker/Dockerfile").read_text())[-1]
    lines.append(("Dockerfile CMD", json.loads([a for k, a in runtime["instructions"] if k == "CMD"][-1])))
    for path in sorted((ROOT / "deploy/kubernetes").glob("deployment-*.yaml")):
        doc = yaml.safe_load(path.read_text())
        lines.append((path.name, doc["spec"]["template"]["spec"]["containers"][0]["args"]))
    return lines


def test_the_flags_we_pass_exist():
    daemon = env_path("PK_DAEMON")
    commands = ("sink", "source", "run")
    lines = command_lines()
    assert len(lines) == 4
    for where, args in lines:
        position = next(i for i, a in enumerate(args) if a in commands)
        top_help = run(daemon, "--help").stdout
        command_help = run(daemon, args[position], "--help").stdout
        for flag in [a.split("=")[0] for a in args[:position] if a.startswith("--")]:
            assert flag in top_help, f"{where}: {flag} is not an option of pulsar-kinesis"
        for flag in [a.split("=")[0] for a in args[position + 1:] if a.startswith("--")]:
            assert flag in command_help, f"{where}: {flag} is not an option of pulsar-kinesis {args[position]}"
