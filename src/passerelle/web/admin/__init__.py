"""The administrators' pages: the node run from its web pages.

One module per page, each calling the same services as the command line (so each change is
audited exactly as its ``passerelle`` command is) and guarding every form with the
session's CSRF token:

* :mod:`~passerelle.web.admin.users`: ``/admin/users``: accounts, roles, workplaces,
  passwords, disabling, and the locked accounts and paced addresses with their unlock
  (``passerelle user ...``; ``manage_users``);
* :mod:`~passerelle.web.admin.tokens`: ``/admin/tokens``: API tokens issued (shown once),
  listed with their state, revoked (``passerelle token ...``; ``manage_users``);
* :mod:`~passerelle.web.admin.partners`: ``/admin/partners``: partners registered from their
  key line, their agreement, enabled or not, and their outbox (``passerelle peer ...``,
  ``passerelle federation outbox``; ``manage_node``);
* :mod:`~passerelle.web.admin.catalogue`: ``/admin/catalogue``: the crossing points and
  decision reasons of the catalogue file (``passerelle.records.catalogues``; ``manage_node``).

A refused value comes back on the page, answered 422, naming the field
(:mod:`~passerelle.web.admin.forms`).
"""

from passerelle.web.admin import catalogue, partners, tokens, users

__all__ = ["PAGES"]

PAGES = (users, tokens, partners, catalogue)
"""The pages' modules, each with its ``router`` (mounted by ``web.routes``)."""
