"""The retention limits in force come from the node's settings, one setting per limit."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from passerelle.settings import Settings
from passerelle.store.retention import RetentionPolicy
from passerelle.wiring import retention_policy


def test_every_retention_limit_is_read_from_its_setting(tmp_path: Path) -> None:
    limits = {limit.name: 11 + number for number, limit in enumerate(fields(RetentionPolicy))}
    named = {f"retention_{name}": days for name, days in limits.items()}
    settings = Settings(home=tmp_path, **named)
    assert retention_policy(settings) == RetentionPolicy(**limits)


def test_the_defaults_of_the_settings_are_the_policys_defaults(tmp_path: Path) -> None:
    assert retention_policy(Settings(home=tmp_path)) == RetentionPolicy()
