"""Whether a partner's alert message is within the agreement: category and id namespace.

Checked before anything is applied (``incoming.receive_alert`` calls
:func:`check_alert_agreement` first), so a message outside the agreement stores
nothing, is answered with a refusal that names the term and is audited by the
listener (``exchange.refused`` with the code):

``outside_agreement:category``
    an ``alert.issue`` whose ``alert.category`` is not among the
    ``alert_categories`` this node agreed with the sender (an agreement that lists
    none takes no alerts). A withdrawal carries no category and is not refused
    for one: it only lifts an alert once agreed.
``outside_agreement:namespace``
    an ``alert.issue`` whose alert id is in another state's
    namespace than the sender's: its leading part (up to the first ``-``, ``:``,
    ``.`` or ``_``) is a state code (ISO 3166-1 alpha-3 or ICAO, or this node's
    own) other than the sender's. ``BEL-A-77`` from BEL is accepted, ``MAR-A-77``
    from BEL refused (MAR's own format on MAR, a third state's elsewhere). An id
    without a state prefix (the uuid4 hex ``alert issue`` gives when none is
    chosen) claims no namespace and is accepted: it is stored under the sender.

An ``alert.withdraw`` is never refused: it can only lift an alert stored under
its sender (partners' alerts are keyed by the signing state), so it cannot touch
this node's or a third state's alerts, and one a partner pushed under a foreign
id before these checks existed can still be lifted.

A body too malformed to read the category or id, or a category no node knows, is
left to ``incoming``'s parser, which refuses it as ``invalid`` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from passerelle.documents.states import KNOWN_CODES
from passerelle.federation.peers.values import Agreement
from passerelle.federation.transport.inbound import (
    CategoryOutsideAgreement,
    NamespaceOutsideAgreement,
)
from passerelle.records.alerts import CATEGORIES

__all__ = ["alert_namespace", "check_alert_agreement"]

_PREFIX = re.compile(r"([A-Za-z]{3})[-:._]")


def alert_namespace(alert_id: str, *, states: Collection[str] = KNOWN_CODES) -> str | None:
    """The state whose namespace ``alert_id`` is in, or ``None`` when it names no state.

    >>> alert_namespace("BEL-A-77"), alert_namespace("mar:2026:1")
    ('BEL', 'MAR')
    >>> alert_namespace("3f2a9c0d4b1e4f6a8c7d9e0f1a2b3c4d"), alert_namespace("ABC-1") is None
    (None, True)
    """
    found = _PREFIX.match(alert_id)
    if found is None:
        return None
    prefix = found.group(1).upper()
    return prefix if prefix in states else None


def check_alert_agreement(
    *, sender: str, receiver: str, agreement: Agreement, kind: str, body: Mapping[str, Any]
) -> None:
    """Refuse an alert message from ``sender`` that ``agreement`` (this node's, with it) does
    not cover; ``receiver`` is this node's state. Raises the ``outside_agreement:*`` refusal."""
    if kind != "alert.issue":
        return
    record = body.get("alert")
    if not isinstance(record, Mapping):
        return
    alert_id = record.get("id")
    if isinstance(alert_id, str):
        namespace = alert_namespace(alert_id, states=KNOWN_CODES | {receiver, sender})
        if namespace is not None and namespace != sender:
            whose = "this node's own" if namespace == receiver else f"{namespace}'s"
            raise NamespaceOutsideAgreement(
                f"alert id {alert_id!r} is in {whose} namespace; {sender} issues {sender}-… ids"
            )
    category = record.get("category")
    if category in CATEGORIES and category not in agreement.alert_categories:
        agreed = ", ".join(agreement.alert_categories) or "no categories"
        raise CategoryOutsideAgreement(
            f"{category!r} alerts are not in the agreement with {sender} (it lists {agreed})"
        )
