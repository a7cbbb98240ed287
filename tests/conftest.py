import uuid

import pytest

from tests.integration.servers import Servers


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """One action server and one Rasa server for the whole run (integration and browser
    tests), with the trained model."""
    running = Servers(tmp_path_factory.mktemp("servers"))
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"
