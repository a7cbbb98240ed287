import pytest

from tests.integration.servers import free_port
from tests.web.webapp import WebApp


@pytest.fixture(scope="session")
def web(tmp_path_factory):
    """The web app on a free port; no Rasa server is needed for its own routes."""
    app = WebApp(tmp_path_factory.mktemp("web"), f"http://127.0.0.1:{free_port()}")
    try:
        app.start()
        yield app
    finally:
        app.stop()
