"""Moving messages between nodes: the partner-facing listener, the client, the outbox.

Modules: ``server`` (verify a partner's message, dispatch it to the handler table,
sign the reply), ``listener`` (uvicorn with mutual TLS), ``inbound`` (what a handler
receives; the handler table's types), ``client`` (send one message or fan out with a
deadline), ``outbox`` and ``delivery`` (messages written in their transaction, delivered
in order with retries), ``outbox_status`` (what waits, requeue), ``replay_store`` (the
replay guard in the database).
"""
