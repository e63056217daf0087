"""Passerelle: a national node of a federated border-security platform.

A node checks travel documents (ICAO Doc 9303), screens travellers against
stolen/lost document registries, watchlists and biometric galleries, and
exchanges hit/no-hit answers and alerts with partner nodes.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
