"""The node's keys as provisioned secrets: which they are, who makes them, and whether a
host holds the node's own.

==============  =====================================  ==================================
key             file (``PASSERELLE_KEYS_DIR``)         made by
==============  =====================================  ==================================
``audit``       ``audit.key``                          ``passerelle keys init``
``biometric``   ``biometric.key``                      ``passerelle keys init``
``checkpoint``  ``audit-checkpoint/node-ed25519.pem``  ``passerelle keys init``
``signing``     ``node-ed25519.pem``                   ``passerelle node init --state CODE``
``sealing``     ``node-x25519.pem``                    ``passerelle keys init`` (or ``node
                                                       init``, on a node without one)
==============  =====================================  ==================================

No other command makes a key (``node rotate-key`` and ``rotate-sealing-key`` replace
one, recording the new fingerprint). A host that lacks the audit or biometric key, or
the checkpoint or sealing key once the node has one (its fingerprint recorded),
refuses to open the node (:class:`KeyMissing`), naming the file and what provides it;
a host of a node with several hosts gets the node's key folder copied from its first
host. The checkpoint and sealing keys are made by the composition root's makers
(``passerelle.wiring.node_keys``: their file formats are the federation's), handed to
:func:`init_keys`.

The database holds a *fingerprint* of each key (``node_keys``): the HMAC-SHA256 of a
fixed label under the key, which tells keys apart and gives nothing of them away. A
host whose key has another fingerprint than the node's refuses to open it
(:class:`NotTheNodesKey`) before it writes a record sealed with the wrong key. A node set
up before the fingerprints adopts the keys of the first host that opens it, noted in
the audit trail (``node.keys_adopted``), after checking that its audit key seals the
chain's head.
"""

from passerelle.keyring.host import (
    CHECKPOINT_KEY_FILE,
    KEYS_ACTOR,
    SEALING_KEY_FILE,
    SIGNING_KEY_FILE,
    HostKey,
    KeyMaker,
    KeyMissing,
    KeyName,
    NodeKeyExists,
    NotTheNodesKey,
    check_host_keys,
    create_biometric_key,
    host_keys,
    key_fingerprint,
    load_biometric_key,
)
from passerelle.keyring.provisioning import (
    KeysInit,
    init_keys,
    record_node_keys,
    record_rotated_key,
    record_rotated_signing_key,
    record_signing_key,
    recorded_key,
    recorded_signing_key,
)

__all__ = [
    "CHECKPOINT_KEY_FILE",
    "KEYS_ACTOR",
    "SEALING_KEY_FILE",
    "SIGNING_KEY_FILE",
    "HostKey",
    "KeyMaker",
    "KeyMissing",
    "KeyName",
    "KeysInit",
    "NodeKeyExists",
    "NotTheNodesKey",
    "check_host_keys",
    "create_biometric_key",
    "host_keys",
    "init_keys",
    "key_fingerprint",
    "load_biometric_key",
    "record_node_keys",
    "record_rotated_key",
    "record_rotated_signing_key",
    "record_signing_key",
    "recorded_key",
    "recorded_signing_key",
]
