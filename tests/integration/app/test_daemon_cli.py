"""The command line as a user meets it: version and --help, `validate` on good and broken files (exit 0 / 2, every
problem named by its key, the effective config with secrets masked), the daemon refusing broken files with exit 2,
and no secret in any output."""
import json
import os
import pathlib
import subprocess

import pytest

from daemon_fixtures import run_config, server_env, sink_spec, source_spec, unique

CORPUS = pathlib.Path(os.environ.get("PK_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3])) / "tests/data/config"
# The corpus's secrets (in the files, or given through these variables): none may appear in any output.
CANARY_ENV = {"PK_TEST_PULSAR_TOKEN": "token:CANARY-TOKEN-FROM-ENV-0001",
              "PK_TEST_SECRET_KEY": "CANARY-SECRET-FROM-ENV-0002"}
CANARIES = ["CANARY-TOKEN-FROM-ENV-0001", "CANARY-SECRET-FROM-ENV-0002", "CANARY-SECRET-IN-FILE-1234",
            "CANARY-TOKEN-IN-FILE-5678", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "eyJhbGciOiJIUzI1NiJ9.c3Vi.sig"]


def cli(*args, env=None, timeout=60):
    return subprocess.run([server_env("PK_DAEMON"), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **CANARY_ENV, **(env or {})})


def assert_no_canary(*outputs):
    for text in outputs:
        for canary in CANARIES:
            assert canary not in text, f"{canary} leaked:\n{text}"


def test_version_and_help():
    version = cli("version")
    assert version.returncode == 0 and version.stdout.startswith("pulsar-kinesis "), version
    for args in (["--help"], ["sink", "--help"], ["source", "--help"], ["run", "--help"], ["validate", "--help"]):
        result = cli(*args)
        assert result.returncode == 0, result
        assert "Usage: pulsar-kinesis" in result.stdout
    assert cli("frobnicate").returncode == 2
    assert cli("run").returncode == 2  # --config is required


def broken_files():
    return sorted(p for p in (CORPUS / "invalid").iterdir() if p.suffix in (".yaml", ".json"))


def kind_of(path):
    return path.name.split("-")[0]


@pytest.mark.parametrize("path", broken_files(), ids=lambda p: p.name)
def test_every_broken_file_exits_2_naming_each_key_and_no_secret(path):
    problems = (path.parent / (path.name + ".problems")).read_text().splitlines()
    validate = cli("validate", "--config", str(path), "--kind", kind_of(path))
    assert validate.returncode == 2, validate
    daemon = cli(kind_of(path), "--config", str(path), "--no-admin")
    assert daemon.returncode == 2, daemon
    for out in (validate.stderr, daemon.stderr):
        # The same problems, each with its key path, as the loader's golden file lists them.
        for problem in problems:
            assert problem in out, f"{problem!r} missing from:\n{out}"
    assert_no_canary(validate.stdout, validate.stderr, daemon.stdout, daemon.stderr)


@pytest.mark.parametrize("path", sorted(p for p in (CORPUS / "valid").iterdir() if p.suffix in (".yaml", ".json")),
                         ids=lambda p: p.name)
def test_valid_files_print_the_effective_config_masked(path):
    # The corpus names hosts of no real network: validate loads the file and then reports that they do not resolve.
    result = cli("validate", "--config", str(path))
    assert result.returncode in (0, 2), result
    assert result.stdout.startswith("# Effective configuration"), result.stdout[:200]
    assert_no_canary(result.stdout, result.stderr)
    if result.returncode == 2:
        assert "does not resolve" in result.stderr, result.stderr
    # The effective config equals the loader's golden dump (the kind was told by the keys alone).
    assert result.stdout == (path.parent / (path.name + ".effective")).read_text()


def local_run(tmp_path, **top):
    stream = unique("pk-cli")
    return run_config(tmp_path,
                      sinks=[sink_spec("cli-sink", "persistent://public/default/cli-in", stream,
                                       awsCredentialPluginParam='{"accessKey":"AKID","secretKey":"'
                                                                 'CANARY-SECRET-IN-FILE-1234"}')],
                      sources=[source_spec("cli-source", stream, "persistent://public/default/cli-out", "cli-app")],
                      **top)


def test_validate_a_good_file_exits_0_with_secrets_masked(tmp_path):
    config = local_run(tmp_path)
    result = cli("validate", "--config", str(config), "--output", "json")
    assert result.returncode == 0, result
    effective = json.loads(result.stdout)
    assert effective["sinks"][0]["configs"]["awsCredentialPluginParam"] == "****"
    assert "a valid run file (1 sink, 1 source)" in result.stderr
    assert_no_canary(result.stdout, result.stderr)
    # The moto credentials are secrets too.
    assert server_env("PK_MOTO_SECRET_ACCESS_KEY") not in result.stdout + result.stderr


def test_validate_reports_every_runtime_problem_by_key(tmp_path):
    stream = unique("pk-cli")
    config = run_config(
        tmp_path,
        sinks=[sink_spec("a", "persistent://public/default/x", stream, awsEndpoint="http://kinesis.pk-test.invalid",
                         awsCredentialPluginParam='{"accessKey":"AKID"}')],
        sources=[source_spec("b", stream, "persistent://public/default/y", "app",
                             dynamoEndpoint="ftp://127.0.0.1:1")],
        admin={"address": "pk-admin.invalid:9100"})
    result = cli("validate", "--config", str(config))
    assert result.returncode == 2, result
    for key in ("sinks[0].configs.awsEndpoint: host \"kinesis.pk-test.invalid\" does not resolve",
                "sinks[0].configs.awsCredentialPluginParam:", "sources[0].configs.dynamoEndpoint:",
                "admin.address:"):
        assert key in result.stderr, result.stderr
    assert "4 problems" in result.stderr, result.stderr


def test_flags_override_the_file(tmp_path):
    config = local_run(tmp_path)
    result = cli("validate", "--config", str(config), "--pulsar-url", "pulsar://pk-override.invalid:6650",
                 "--log-level", "debug", "--no-admin")
    assert result.returncode == 2, result
    assert 'sinks[0].pulsar.serviceUrl: host "pk-override.invalid" does not resolve' in result.stderr
    assert 'sources[0].pulsar.serviceUrl: host "pk-override.invalid" does not resolve' in result.stderr
    assert 'level: "debug"' in result.stdout and "enabled: false" in result.stdout
    bad = cli("validate", "--config", str(config), "--log-format", "xml")
    assert bad.returncode == 2 and "log.format" in bad.stderr, bad


def test_the_kind_comes_from_the_keys_or_the_flag(tmp_path):
    sink = tmp_path / "sink.yaml"
    sink.write_text("name: s\ninputs: [t]\nconfigs:\n  awsEndpoint: http://127.0.0.1:4567\n  awsRegion: us-east-1\n"
                    "  awsKinesisStreamName: k\n  awsCredentialPluginParam: '{\"accessKey\":\"a\",\"secretKey\":\"b\"}'\n"
                    "pulsar:\n  serviceUrl: pulsar://127.0.0.1:6650\n")
    assert cli("validate", "--config", str(sink)).returncode == 0
    as_source = cli("validate", "--config", str(sink), "--kind", "source")
    assert as_source.returncode == 2 and "topicName: required key is missing" in as_source.stderr, as_source
    vague = tmp_path / "vague.yaml"
    vague.write_text("name: s\nconfigs:\n  awsRegion: us-east-1\n")
    result = cli("validate", "--config", str(vague))
    assert result.returncode == 2 and "--kind sink|source|run" in result.stderr, result
