"""`rasa data validate` is clean: exit 0 with --fail-on-warnings, and no warnings printed."""

import re
import subprocess

from tests.integration.servers import BIN, ROOT, project_env

# Rasa merges the retrieval intent `faq` from the NLU data into the domain that
# already lists it (as it must, for rules to use it), and warns about its own merge.
RASA_OWN_RETRIEVAL_MERGE = "duplicated intents have been found across multiple domain files: faq"


def test_rasa_data_validate_has_no_warnings():
    run = subprocess.run(
        [str(BIN / "rasa"), "data", "validate", "--fail-on-warnings"],
        cwd=ROOT,
        env=project_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    warnings = [
        line
        for line in output.splitlines()
        if re.search(r"UserWarning|WARNING", line) and RASA_OWN_RETRIEVAL_MERGE not in line
    ]
    assert warnings == []


def test_rasa_reads_and_fingerprints_the_nlu_data():
    """Training fingerprints the data first; a lookup whose first entry is too long
    for a file name (Rasa checks whether it names a file) stops every training."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "data" / "nlu"))
    assert data.lookup_tables and data.fingerprint()
