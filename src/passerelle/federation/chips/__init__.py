"""Chip trust shared between partners: a node publishes the CSCAs it trusts (``chip.cscas``).

A partner's publication is kept as an *offer* (``chip_partner_cscas``), never trusted by
itself: an administrator adopts it (``store.chip_trust.ChipTrustStore.adopt_partner``),
which makes one audited version of the trust store like any import.
"""

from passerelle.federation.chips.publishing import (
    CSCAS_KIND,
    apply_published_cscas,
    chip_handlers,
    queue_trusted_cscas,
)

__all__ = ["CSCAS_KIND", "apply_published_cscas", "chip_handlers", "queue_trusted_cscas"]
