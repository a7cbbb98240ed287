"""`rasa run` with the HTTP API token taken from the environment.

Rasa 3.6 takes the token only as ``--auth-token`` on its command line, which any
user of the machine can read (``ps``, ``/proc/<pid>/cmdline``). This runs Rasa's
own command line in this process with the same arguments plus the token from
RASA_AUTH_TOKEN, so the token is only in the process's environment, which other
users cannot read::

    RASA_AUTH_TOKEN=... python -m server.rasa_server run --enable-api --model models ...
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    from rasa.__main__ import main as rasa_main

    arguments = sys.argv[1:]
    token = os.environ.get("RASA_AUTH_TOKEN")
    if token:
        # One argument: a token that starts with "-" would read as an option.
        arguments.append(f"--auth-token={token}")
    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
