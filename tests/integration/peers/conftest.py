"""Shared fixtures for the peer tests: addresses of the real servers, from scripts/services/all."""
import os
import uuid

import pytest


def server_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run under `scripts/services/all run -- ...` (scripts/test does this)")
    return value


@pytest.fixture
def unique():
    """A short unique suffix so reruns against the same servers do not collide."""
    return uuid.uuid4().hex[:10]


@pytest.fixture
def moto_keys():
    return dict(aws_access_key_id=server_env("PK_MOTO_ACCESS_KEY_ID"),
                aws_secret_access_key=server_env("PK_MOTO_SECRET_ACCESS_KEY"))
