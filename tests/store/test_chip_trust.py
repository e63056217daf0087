"""The chip trust store: versioned, audited imports; a refused file changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import func, select

from passerelle.documents.chip import ChipDataError
from passerelle.documents.chip.specimen import SpecimenPki, master_list
from passerelle.exc import NotFound
from passerelle.store import Database
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.chip_trust import ChipTrustStore
from passerelle.store.tables import AuditRecord, ChipCsca, ChipTrustVersion
from tests.documents.chip.chip_pki import ANNA, AS_OF, pki, signer, verify

ADMIN = Actor("admin.rahmani", "user", "admin")
DER = Encoding.DER


@pytest.fixture
def store(database: Database, audit: AuditTrail) -> ChipTrustStore:
    return ChipTrustStore(database, audit, lambda: datetime(2026, 1, 1, 12, tzinfo=UTC))


@pytest.fixture(scope="module")
def foreign() -> tuple[SpecimenPki, SpecimenPki]:
    return (
        SpecimenPki.create("FR", algorithm="ecdsa-p256"),
        SpecimenPki.create("MA", algorithm="ecdsa-brainpool256"),
    )


def actions(database: Database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


def test_a_master_list_under_a_trusted_csca_adds_its_cscas_in_a_new_version(
    store: ChipTrustStore, database: Database, foreign: tuple[SpecimenPki, SpecimenPki]
) -> None:
    first = store.import_csca(pki().certificate.public_bytes(DER), actor=ADMIN, source="hand")
    raw = master_list([p.certificate for p in foreign], pki().signer_of_master_list())
    change = store.import_master_list(raw, actor=ADMIN, source="ml-2026.der")
    assert (first.version, change.version, change.added, change.skipped) == (1, 2, 2, 0)
    assert sorted(c.country for c in store.cscas()) == ["FR", "MA", "UT"]
    again = store.import_master_list(raw, actor=ADMIN, source="ml-2026.der")
    assert (again.version, again.added, again.skipped) == (3, 0, 2)
    assert len(store.anchors(version=1).cscas) == 1
    assert len(store.anchors().cscas) == 3
    assert actions(database) == [
        "chip_trust.import_csca",
        "chip_trust.import_masterlist",
        "chip_trust.import_masterlist",
    ]


def test_a_master_list_whose_signer_is_not_trusted_imports_nothing(
    store: ChipTrustStore, database: Database, foreign: tuple[SpecimenPki, SpecimenPki]
) -> None:
    raw = master_list([p.certificate for p in foreign], foreign[0].signer_of_master_list())
    with pytest.raises(ChipDataError, match=r"masterlist\.signer"):
        store.import_master_list(raw, actor=ADMIN, source="ml.der")
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(ChipCsca)) == 0
        assert session.scalar(select(func.count()).select_from(ChipTrustVersion)) == 0
    assert actions(database) == []


def test_a_malformed_master_list_imports_nothing(store: ChipTrustStore, database: Database) -> None:
    with pytest.raises(ChipDataError) as refused:
        store.import_master_list(b"\x30\x82\x01\x00garbage", actor=ADMIN, source="ml.der")
    assert refused.value.field == "masterlist"
    assert store.version() == 0


def test_the_publisher_s_csca_given_as_an_anchor_lets_its_list_in(
    store: ChipTrustStore, foreign: tuple[SpecimenPki, SpecimenPki]
) -> None:
    raw = master_list(
        [pki().certificate, *(p.certificate for p in foreign)], pki().signer_of_master_list()
    )
    change = store.import_master_list(
        raw, actor=ADMIN, source="ml.der", anchors=[pki().certificate.public_bytes(DER)]
    )
    assert change.added == 3


def test_a_crl_supersedes_the_last_and_revokes_for_the_checks(store: ChipTrustStore) -> None:
    store.import_csca(pki().certificate.public_bytes(DER), actor=ADMIN, source="hand")
    store.import_crl(pki().crl().public_bytes(DER), actor=ADMIN, source="crl-1")
    assert verify(signer().chip(ANNA), trust=store.anchors()).verified
    newer = pki().crl([signer().certificate], this_update=datetime(2025, 6, 1, tzinfo=UTC))
    change = store.import_crl(newer.public_bytes(DER), actor=ADMIN, source="crl-2")
    assert (change.added, change.removed) == (1, 1)
    result = verify(signer().chip(ANNA), trust=store.anchors(), as_of=AS_OF)
    assert [f.code.value for f in result.findings] == ["dsc_revoked"]
    with pytest.raises(ChipDataError, match="not newer"):
        store.import_crl(pki().crl().public_bytes(DER), actor=ADMIN, source="crl-old")


def test_a_crl_of_a_csca_not_trusted_is_refused(
    store: ChipTrustStore, foreign: tuple[SpecimenPki, SpecimenPki]
) -> None:
    with pytest.raises(ChipDataError, match="crl: is not signed by a trusted CSCA"):
        store.import_crl(foreign[0].crl().public_bytes(DER), actor=ADMIN, source="crl")


def test_a_removed_csca_is_kept_in_history_and_trusted_no_more(store: ChipTrustStore) -> None:
    store.import_csca(pki().certificate.public_bytes(DER), actor=ADMIN, source="hand")
    (listed,) = store.cscas()
    change = store.remove_csca(listed.fingerprint, actor=ADMIN, reason="key compromise")
    assert change.version == 2
    assert store.cscas() == []
    assert len(store.anchors(version=1).cscas) == 1
    assert [h["kind"] for h in store.history()] == ["remove", "csca"]
    with pytest.raises(NotFound):
        store.remove_csca(listed.fingerprint, actor=ADMIN, reason="again")


def test_a_certificate_that_is_not_a_self_signed_ca_is_refused(store: ChipTrustStore) -> None:
    with pytest.raises(ChipDataError, match="csca: is not a CA"):
        store.import_csca(signer().certificate.public_bytes(DER), actor=ADMIN, source="dsc")
    with pytest.raises(ChipDataError, match=r"csca: is not a usable X\.509"):
        store.import_csca(b"\x30\x03\x02\x01\x01", actor=ADMIN, source="junk")
