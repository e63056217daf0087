"""What the API and the web pages work with: one node and the services built on it."""

from __future__ import annotations

from dataclasses import dataclass

from passerelle.access import AccessControl
from passerelle.biometrics.enrolment import FaceGalleries
from passerelle.biometrics.face import MATCH_THRESHOLD
from passerelle.node import Node
from passerelle.screening import Inspector

__all__ = ["ALERT_GALLERIES", "NodeServices", "build_services"]

ALERT_GALLERIES = ("alerts", "wanted")
"""The face galleries every inspection searches (1:N) when a photo is given."""


@dataclass(frozen=True, slots=True)
class NodeServices:
    """The node, its access control and its border-check service, for one app."""

    node: Node
    access: AccessControl
    inspector: Inspector
    galleries: FaceGalleries


def build_services(node: Node, *, inspector: Inspector | None = None) -> NodeServices:
    """Wire the services over ``node`` (an inspector may be given, e.g. with test components)."""
    threshold = node.settings.face_match_threshold or MATCH_THRESHOLD
    galleries = FaceGalleries(
        node.database, node.template_vault(), node.settings.home / "galleries", threshold=threshold
    )
    return NodeServices(
        node=node,
        access=AccessControl.for_node(node),
        inspector=inspector or Inspector(node, galleries=galleries, gallery_names=ALERT_GALLERIES),
        galleries=galleries,
    )
