"""The legal-basis filter: what of this node's records may be disclosed to which partner.

Module: ``legal_basis``.
"""
