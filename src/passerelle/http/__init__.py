"""What the API and the web pages share over HTTP: who is asking, errors, security headers.

``deps`` (the services, the bearer token or the session cookie turned into an
actor, permission checks), ``errors`` (the one table from Passerelle's error tree
to HTTP statuses and the JSON error body, with a hook for the pages' HTML
errors) and ``middleware`` (security headers, request size limit). Neither
``api`` nor ``web`` owns it; both stand on it.
"""
