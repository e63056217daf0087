from pathlib import Path

import pytest

from passerelle.exc import ConfigurationError
from passerelle.node import open_node
from passerelle.settings import load_settings
from tests.conftest import provision_node


def test_settings_come_from_passerelle_environment_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PASSERELLE_HOME", str(tmp_path))
    monkeypatch.setenv("PASSERELLE_NODE", "mar")
    monkeypatch.delenv("PASSERELLE_DATABASE_URL", raising=False)
    settings = load_settings()
    assert settings.home == tmp_path
    assert settings.node == "MAR"
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'passerelle.db'}"


def test_database_url_is_taken_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_DATABASE_URL", "postgresql+psycopg://127.0.0.1/test")
    assert load_settings().effective_database_url == "postgresql+psycopg://127.0.0.1/test"


def test_unknown_node_state_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_NODE", "ATLANTIS")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert "PASSERELLE_NODE" in str(caught.value)


def test_the_biometric_key_lives_beside_the_audit_key_and_seals_templates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PASSERELLE_HOME", str(tmp_path))
    monkeypatch.delenv("PASSERELLE_DATABASE_URL", raising=False)
    monkeypatch.delenv("PASSERELLE_BIOMETRIC_KEY_FILE", raising=False)
    settings = load_settings()
    assert settings.effective_biometric_key_file == tmp_path / "keys" / "biometric.key"
    provision_node(settings)  # `keys init` makes it
    with open_node(settings) as node:
        sealed = node.template_vault().seal(b"template", "MAR-W-0001")
        assert node.template_vault().open(sealed, "MAR-W-0001") == b"template"
    assert (tmp_path / "keys" / "biometric.key").stat().st_mode & 0o777 == 0o600
