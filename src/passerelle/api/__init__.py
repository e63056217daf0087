"""The node's HTTP API (``/api/v1``): one router per resource, request and response models.

The app that serves it (with the web pages) is built by ``passerelle.server``;
what the API shares with the pages (the services, authentication, the error
table, security headers) is in ``passerelle.http``.

Who is asking: a bearer token (``Authorization: Bearer psr_...``, from
``passerelle token issue``) for API clients, or the web session cookie for the
pages; every route states the permission it needs (``access.Permission``) and
every search states its purpose, which lands in the audit trail.
"""
