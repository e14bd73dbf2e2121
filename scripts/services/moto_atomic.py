"""moto's server, answering one request at a time.

DynamoDB applies each write atomically: of two UpdateItems on one item whose conditions both hold before either
runs, one succeeds and the other fails its condition. moto's threaded server checks the condition and writes
without a lock, so both can succeed (boto3 alone shows it with four threads racing on one item). Lease tests race
conditional writes on purpose, so the server here runs each request under one lock: connections are still served
concurrently (keep-alive as before), the backend sees one request at a time. Same arguments as moto_server.
"""
import threading

from moto import server
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_one_at_a_time = threading.Lock()
_dispatch = DomainDispatcherApplication.__call__


def _serialized(self, environ, start_response):
    with _one_at_a_time:
        return _dispatch(self, environ, start_response)


DomainDispatcherApplication.__call__ = _serialized

if __name__ == "__main__":
    server.main()
