"""The officers' and analysts' web pages: server-rendered, light JavaScript, tablet-sized.

Pages (each needs a signed-in web session and its role's permission):

- ``/check`` — the officer's booth: scan or paste the MRZ (a keyboard-wedge
  scanner types it; the form sends itself once a whole MRZ is in), optional
  document and live photos, then the verdict in large green/amber/red, one
  light per source, the reasons in plain words, what to do and whom to call on
  a hit, days of stay used and left, and the officer's decision (admit / refer /
  refuse with a reason code). Everything works from the keyboard.
- ``/review`` — analysts' queue of hits to confirm or dismiss, with notes and the
  false positives of each watchlist entry so far.
- ``/alerts`` — issue and withdraw alerts; ``/search`` — watchlist names and the
  stolen/lost registry; ``/audit`` — the audit trail, for auditors;
  ``/dashboard`` — crossings, hits and false-positive rates as charts (Plotly);
  ``/analysis/networks`` — travellers linked by co-travel and shared values, and their
  communities (cytoscape.js).

Forms carry the session's CSRF token; the session cookie is HttpOnly and
SameSite=Strict; every response carries the security headers of
:mod:`passerelle.http.middleware`.
"""

from passerelle.web.routes import install_web

__all__ = ["install_web"]
