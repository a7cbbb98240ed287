"""``python -m web``: the web app on $WEB_HOST:$WEB_PORT (default 127.0.0.1:8000).

$RASA_URL is the Rasa server as visitors' browsers reach it (default
http://$HOST:$RASA_PORT), $WEB_DB the hand-off database (default var/web.db)
$CLINIC_SETTINGS the clinic's settings file (default clinic.yml) and
$TRACKER_STORE_URL the tracker store the staff console reads (default
sqlite:///var/tracker.db); STAFF_USERNAME and STAFF_PASSWORD_HASH open /staff.
"""

from __future__ import annotations

import os
from pathlib import Path

from clinic.settings import load_settings
from server.log_format import configure_logging
from web.app import create_app


def main() -> None:
    host = os.environ.get("WEB_HOST", "127.0.0.1")
    port = int(os.environ.get("WEB_PORT", "8000"))
    rasa_url = os.environ.get("RASA_URL") or "http://{}:{}".format(
        os.environ.get("HOST", "127.0.0.1"), os.environ.get("RASA_PORT", "5005")
    )
    app = create_app(
        load_settings(),
        rasa_url.rstrip("/"),
        Path(os.environ.get("WEB_DB", "var/web.db")),
        tracker_store_url=os.environ.get("TRACKER_STORE_URL", "sqlite:///var/tracker.db"),
    )
    configure_logging(os.environ.get("LOGGING_CONFIG"))  # after Sanic() set its defaults
    print(f"Web app: http://{host}:{port} (chat server {rasa_url})", flush=True)
    app.run(host=host, port=port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
