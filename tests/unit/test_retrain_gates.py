import pytest

from retrain.history import ModelHistory, ModelRecord
from retrain.pipeline import Refused, gate

LIVE = {"intent_macro_f1": 0.94, "red_flag_recall": 1.0, "negation_errors": 0}


def test_a_model_as_good_or_within_tolerance_passes():
    gate(dict(LIVE), LIVE, tolerance=0.02)
    gate({**LIVE, "intent_macro_f1": 0.925}, LIVE, tolerance=0.02)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"intent_macro_f1": 0.90}, "intent macro-F1 fell from 0.940 to 0.900"),
        ({"red_flag_recall": 0.97}, "red-flag recall fell from 1.00 to 0.97"),
        ({"negation_errors": 1}, "negation errors rose from 0 to 1"),
    ],
)
def test_a_worse_model_is_refused_with_the_reason(change, reason):
    with pytest.raises(Refused, match=reason):
        gate({**LIVE, **change}, LIVE, tolerance=0.02)


def test_history_keeps_one_active_model_and_the_previous_ones(tmp_path):
    history = ModelHistory(tmp_path / "history.json")
    history.add(ModelRecord("base", "/m/base.tar.gz", "", "active"))
    history.add(ModelRecord("m1", "/m/m1.tar.gz", "t1", "candidate"))
    history.activate("m1")
    history.add(ModelRecord("m2", "/m/m2.tar.gz", "t2", "refused", reason="worse"))
    statuses = {r.name: r.status for r in history.records()}
    assert statuses == {"base": "previous", "m1": "active", "m2": "refused"}
    history.activate("base")
    assert history.active().name == "base" and history.get("m1").status == "previous"


def test_refused_and_old_previous_models_files_are_deleted_records_kept(tmp_path):
    history = ModelHistory(tmp_path / "history" / "history.json")

    def model(name: str) -> str:
        path = tmp_path / f"{name}.tar.gz"
        path.write_bytes(b"model")
        return str(path)

    history.add(ModelRecord("base", model("base"), "", "active", "live"))
    for day in range(1, 5):
        history.add(ModelRecord(f"m{day}", model(f"m{day}"), f"t{day}", "candidate", "fine-tuned"))
        history.activate(f"m{day}")
    history.add(ModelRecord("bad", model("bad"), "t5", "refused", "fine-tuned", reason="worse"))

    deleted = history.prune(keep_previous=2)

    assert sorted(p.name for p in deleted) == ["bad.tar.gz", "m1.tar.gz"]
    statuses = {r.name: r.status for r in history.records()}
    assert statuses == {
        "base": "previous",  # the model from before any retraining is never deleted
        "m1": "retired",
        "m2": "previous",
        "m3": "previous",
        "m4": "active",
        "bad": "refused",
    }
    assert history.get("bad").reason == "worse" and history.get("m1").path == ""
    assert (tmp_path / "base.tar.gz").exists() and (tmp_path / "m4.tar.gz").exists()
