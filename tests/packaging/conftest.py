"""Shared by the packaging tests: the source tree, scripts/checks/packaging_checks.py as a module, and what ctest
passes in the environment (PK_DAEMON, PK_BUILD_DIR, PK_VERSION, PK_METRICS_DOCS)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "checks"))


def env_path(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run this test through ctest")
    return Path(value)


def run(*args, **kwargs):
    """Runs a command; its output in the failure message."""
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    command = " ".join(map(str, args))
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}{result.stderr}"
    return result
