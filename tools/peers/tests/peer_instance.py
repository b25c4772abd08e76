"""The instance folder a peer script runs one server in (PEER_DIR), for
the peer tests: under /tmp and world-searchable, because the MTAs' own
users must reach it; removed afterwards."""

import os
import shutil
import tempfile

import pytest


@pytest.fixture
def instance():
    path = tempfile.mkdtemp(prefix="smtpspec-peer-", dir="/tmp")
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)
