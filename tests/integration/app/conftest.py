"""Every stream a test created through daemon_fixtures.create_stream is deleted after it: kinesis-mock counts the
shards of every stream against its account limit (50)."""
import pytest

import daemon_fixtures


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
