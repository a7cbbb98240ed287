import sys

import pytest


@pytest.fixture(autouse=True)
def absl_handler_on_the_real_stderr():
    """TensorFlow, imported at collection through spaCy's thinc (nlu/) or Rasa, creates
    absl's log handler on the stderr of that moment: pytest's capture file. A test that
    calls logging.config.dictConfig (tests/unit/test_log_format.py) closes every handler,
    and absl's close() closes that stream unless it is the real stderr, which breaks
    pytest's capture for the rest of the run. The servers are not affected: their stderr
    is the real one."""
    absl_logging = sys.modules.get("absl.logging")
    if absl_logging is not None:
        absl_logging.get_absl_handler().python_handler.stream = sys.__stderr__
    yield
