"""pytest hooks of the daemon tests: no daemon outlives its test, even one whose test failed before stopping it."""
import pytest

from daemon_fixtures import Daemon


@pytest.fixture(autouse=True)
def _no_daemon_left_running():
    yield
    Daemon.kill_leftovers()
