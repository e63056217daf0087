"""The composition root: the one place a node's services are built, collaborators passed in.

Every face starts here. The API and its pages build :class:`NodeServices` when
the app starts (``passerelle.server.app``); the CLI builds what one command needs
(``alert_registry``, ``face_galleries``, ``partner_services``); the federation
listener gets its handler table from :func:`federation_handlers`. Nothing is
wired by importing a module, and no module keeps a registry of its own: whether
issuing an alert notifies partners depends on the registry built here (with the
partners' listener), not on which modules a process happened to import. The
node's catalogues (crossing points, decision reasons) are opened here
(:class:`CatalogueBook`: the one saved for the node, else the file) and reach the
pages as ``NodeServices.catalogues``, the one in force on every host.
"""

from passerelle.wiring.catalogues import CatalogueBook, load_catalogues, saved_catalogues
from passerelle.wiring.federation import (
    FederationLink,
    connect,
    federation_handlers,
    node_tls_files,
)
from passerelle.wiring.services import (
    ALERT_GALLERIES,
    NodeServices,
    alert_desk,
    alert_registry,
    build_services,
    face_desk,
    face_galleries,
    face_threshold,
    finger_desk,
    finger_galleries,
    identity_linkage,
    inspector_config,
    partner_services,
    retention_policy,
    watchlist_searches,
)

__all__ = [
    "ALERT_GALLERIES",
    "CatalogueBook",
    "FederationLink",
    "NodeServices",
    "alert_desk",
    "alert_registry",
    "build_services",
    "connect",
    "face_desk",
    "face_galleries",
    "face_threshold",
    "federation_handlers",
    "finger_desk",
    "finger_galleries",
    "identity_linkage",
    "inspector_config",
    "load_catalogues",
    "node_tls_files",
    "partner_services",
    "retention_policy",
    "saved_catalogues",
    "watchlist_searches",
]
