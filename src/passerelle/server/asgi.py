"""The app uvicorn imports (``passerelle.server.asgi:app``), built from the environment's settings.

Each uvicorn worker process imports this module and opens the node itself, and starts its
face workers (``biometrics.workers``) as it starts.
"""

from passerelle.server.app import create_app

__all__ = ["app"]

app = create_app(warm_faces=True)
