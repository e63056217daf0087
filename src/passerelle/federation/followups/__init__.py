"""Follow-ups: a partner's hit reference turned into the record, with the owner's consent.

Modules: ``requests`` (asking, deciding and releasing), ``handlers`` (the listener's
handlers for requests and answers), ``values`` (views, bodies, the released record).
"""
