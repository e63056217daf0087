"""The partner registry: which states this node talks to, where, with which keys, on what terms.

Modules: ``values`` (checked values, the agreement, the stored view), ``directory``
(the registry in the database, audited).
"""
