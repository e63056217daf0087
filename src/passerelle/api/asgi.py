"""The app uvicorn imports (``passerelle.api.asgi:app``), built from the environment's settings.

Each uvicorn worker process imports this module and opens the node itself.
"""

from passerelle.api.app import create_app

__all__ = ["app"]

app = create_app()
