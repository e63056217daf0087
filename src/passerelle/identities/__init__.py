"""Multiple-identity detection: which of the node's identity records are one person.

The node's records that carry an identity (inspections, watchlist persons, person
alerts, partners' person alerts) are read into one columnar table (:mod:`.records`),
with comparison columns from the name engine (:mod:`.features`) and face groups from
the face templates (:mod:`.faces`). A Fellegi-Sunter model (Splink), described as
data in ``model.json`` (:mod:`.model`), is trained and run on DuckDB or Spark
(:mod:`.engine`); its pairs become yellow identity links (:mod:`.run`), leads for an
analyst, never decisions.
"""

from passerelle.identities.engine import ENGINES, checked_engine, predict_links, proposals
from passerelle.identities.model import LinkageModel, load_model
from passerelle.identities.run import LinkageReport, link_identities

__all__ = [
    "ENGINES",
    "LinkageModel",
    "LinkageReport",
    "checked_engine",
    "link_identities",
    "load_model",
    "predict_links",
    "proposals",
]
