"""pytest hooks of the daemon tests: no daemon outlives its test, even one whose test failed before stopping it; every
stream a test created through daemon_fixtures.create_stream is deleted after it (kinesis-mock counts the shards of
every stream against its account limit, 50)."""
import pytest

import daemon_fixtures
from daemon_fixtures import Daemon


@pytest.fixture(autouse=True)
def _no_daemon_left_running():
    yield
    Daemon.kill_leftovers()


@pytest.fixture(autouse=True)
def delete_created_streams():
    daemon_fixtures.CREATED_STREAMS.clear()
    yield
    client = daemon_fixtures.kinesis()
    for name in daemon_fixtures.CREATED_STREAMS:
        try:
            client.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
        except Exception:  # noqa: BLE001 - best effort: the test's own result matters
            pass
