"""The inspector's configuration comes from the node's settings, built in the composition root."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.biometrics.face import MATCH_THRESHOLD
from passerelle.exc import InvalidInput
from passerelle.node import Node
from passerelle.screening import InspectorConfig
from passerelle.settings import Settings
from passerelle.wiring import ALERT_GALLERIES, build_services, inspector_config
from tests.screening.conftest import node  # noqa: F401  (fixture)


def test_the_partners_are_asked_by_default_when_federation_is_on(tmp_path: Path) -> None:
    config = inspector_config(
        Settings(home=tmp_path, federation="on", federation_deadline_ms=1500),
        federation_missing="federation is not configured (no TLS files)",
    )
    assert config.federation_default is True
    assert config.federation_deadline_s == 1.5
    assert config.federation_missing == "federation is not configured (no TLS files)"


def test_a_node_with_federation_off_asks_partners_only_when_a_request_says_so(
    tmp_path: Path,
) -> None:
    config = inspector_config(Settings(home=tmp_path))
    assert config.federation_default is False
    assert config.federation_deadline_s == 0.8
    assert config.federation_missing == InspectorConfig().federation_missing


def test_the_calibrated_face_threshold_reaches_the_inspector(tmp_path: Path) -> None:
    calibrated = inspector_config(Settings(home=tmp_path, face_match_threshold=0.95))
    assert calibrated.face_match_threshold == 0.95
    assert inspector_config(Settings(home=tmp_path)).face_match_threshold == MATCH_THRESHOLD


def test_every_inspection_searches_the_alert_galleries(tmp_path: Path) -> None:
    assert inspector_config(Settings(home=tmp_path)).gallery_names == ALERT_GALLERIES


def test_the_rest_of_the_configuration_keeps_the_inspectors_defaults(tmp_path: Path) -> None:
    config = inspector_config(Settings(home=tmp_path))
    default = InspectorConfig()
    assert (config.name_threshold, config.weak_name_threshold, config.top) == (
        default.name_threshold,
        default.weak_name_threshold,
        default.top,
    )
    assert (config.timeout_s, config.threads, config.tz) == (
        default.timeout_s,
        default.threads,
        default.tz,
    )


def test_the_node_services_inspector_runs_with_the_configuration_from_the_settings(
    node: Node,  # noqa: F811
) -> None:
    services = build_services(node)
    try:
        config, link = services.inspector.config, services.federation
        assert link is not None
        assert config == inspector_config(
            node.settings, federation_missing=link.why_not or link.status
        )
        assert str(config.federation_missing) == "federation is off on this node"
    finally:
        services.close()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weak_name_threshold": 0.9}, "weak_name_threshold"),
        ({"top": 0}, "top"),
        ({"timeout_s": 0.0}, "timeout_s"),
        ({"face_match_threshold": 1.0}, "face_match_threshold"),
        ({"threads": 0}, "threads"),
    ],
)
def test_an_unusable_configuration_is_refused_naming_the_field(
    change: dict[str, float], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        InspectorConfig(**change)  # type: ignore[arg-type]
    assert refused.value.field == field
