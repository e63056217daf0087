"""Three national nodes on one machine, talking over mutual TLS: the federation, demonstrated.

MAR (Morocco), BEL (Belgium) and TUN (Tunisia) each run as two separate
processes with their own SQLite database, on loopback ports::

            ┌──────────── MAR ────────────┐
            │ serve :API  federation :TLS │
            └──────▲───────────────▲──────┘
     mutual TLS,   │               │   mutual TLS,
     signed msgs   │               │   signed msgs
    ┌──── BEL ─────▼──┐         ┌──▼───── TUN ────┐
    │ serve  federation◀────────▶federation  serve │
    └─────────────────┘         └─────────────────┘

Modules: ``cast`` (who holds what; the travellers BEL inspects),
``processes`` (``passerelle`` commands and server processes), ``mesh``
(:class:`Mesh`: N members set up by commands, a full mesh of agreements, start,
stop, kill, hang, close), ``three_nodes`` (:class:`ThreeNodes`: the three-node
demo's mesh, data and users), ``api`` (a node's officers' API with a bearer
token), ``ledger`` (a node's exchange tables, read), ``probes`` (requests a
listener must refuse) and ``story`` (the scripted demonstration ``passerelle
federation demo`` runs, every step with its expectation).

At scale (``passerelle federation demo --states N``): ``council_cast`` (the 22
members of the Council of Arab Interior Ministers, what each holds, who is
killed, hung, issues alerts), ``council`` (:class:`~.council.Council`, their
mesh), ``capacity`` (which members run their API, from measured memory),
``council_story`` (the scale story and its figures) and ``council_run`` (set up,
start, tell, sum up).
"""

from passerelle.federation_demo.api import ApiRefused, NodeApi
from passerelle.federation_demo.mesh import Login, Mesh
from passerelle.federation_demo.processes import DemoNode, StepFailed
from passerelle.federation_demo.three_nodes import ThreeNodes

__all__ = ["ApiRefused", "DemoNode", "Login", "Mesh", "NodeApi", "StepFailed", "ThreeNodes"]
