"""The node's ASGI application: the API under ``/api/v1`` and the web pages, on one node.

``create_app(settings)`` opens the node for the app's lifetime, builds its
services through the composition root (``passerelle.wiring``), mounts the API's
routers and the pages, installs the error table and the middleware.
``passerelle serve`` runs ``passerelle.server.asgi:app`` with uvicorn.
"""

from passerelle.server.app import create_app

__all__ = ["create_app"]
