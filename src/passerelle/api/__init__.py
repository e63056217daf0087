"""The node's HTTP API (``/api/v1``) and the ASGI app that also serves the web pages.

``create_app(settings)`` builds the FastAPI application: one node (database,
audit trail, clock) opened for the app's lifetime, the services built on it
(:class:`~passerelle.wiring.NodeServices`), routers per resource, one
error table (:mod:`passerelle.api.errors`), security headers and a request
size limit on every response (:mod:`passerelle.api.middleware`).

Who is asking: a bearer token (``Authorization: Bearer psr_...``, from
``passerelle token issue``) for API clients, or the web session cookie for the
pages; every route states the permission it needs (``access.Permission``) and
every search states its purpose, which lands in the audit trail.
"""

from passerelle.api.app import create_app

__all__ = ["create_app"]
