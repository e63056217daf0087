"""A federation hub (Prüm II's router): one connection per member instead of a full mesh.

A member seals each addressee's part to that addressee (``protocol.sealing``) and
signs it as if it went directly; the hub checks the member (mutual TLS, signature,
replay, CRL), forwards each part its matrix allows, and returns the sealed answers,
without being able to read either. Modules: ``wire`` (the two message kinds and
their bodies), ``matrix`` (the hub's agreement matrix), ``router`` (the hub's
handler), ``asking`` (a member asking through the hub), ``relayed`` (a member
answering a part the hub delivered).
"""
