"""The clinic's settings: one YAML file per clinic."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_SETTINGS_PATH = Path(__file__).resolve().parent.parent / "clinic.yml"
_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


class SettingsError(ValueError):
    """The settings file is missing a value or holds a wrong one."""


@dataclass(frozen=True)
class ClinicSettings:
    name: str
    phone: str
    booking_url: str
    opening_hours: str
    duration_threshold_days: int = 14
    retention_days: int = 90

    @property
    def phone_link(self) -> str:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")

    @property
    def threshold_text(self) -> str:
        """The threshold in words, e.g. "two weeks" or "10 days"."""
        days = self.duration_threshold_days
        if days % 7 == 0:
            weeks = days // 7
            word = _NUMBER_WORDS.get(weeks, str(weeks))
            return "one week" if weeks == 1 else f"{word} weeks"
        return f"{days} days"


def load_settings(path: str | os.PathLike[str] | None = None) -> ClinicSettings:
    """Read the settings file named by ``path``, $CLINIC_SETTINGS or clinic.yml."""
    path = Path(path or os.environ.get("CLINIC_SETTINGS") or DEFAULT_SETTINGS_PATH)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"cannot read clinic settings {path}: {error}") from error
    missing = [key for key in ("name", "phone", "booking_url", "opening_hours") if not raw.get(key)]
    if missing:
        raise SettingsError(f"{path}: missing {', '.join(missing)}")
    threshold = raw.get("duration_threshold_days", 14)
    retention = raw.get("retention_days", 90)
    for key, days in (("duration_threshold_days", threshold), ("retention_days", retention)):
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise SettingsError(f"{path}: {key} must be a whole number of days")
    if not str(raw["booking_url"]).startswith(("https://", "http://")):
        raise SettingsError(f"{path}: booking_url must be an http(s) address")
    return ClinicSettings(
        name=str(raw["name"]),
        phone=str(raw["phone"]),
        booking_url=str(raw["booking_url"]),
        opening_hours=str(raw["opening_hours"]),
        duration_threshold_days=threshold,
        retention_days=retention,
    )
