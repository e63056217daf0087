"""The node's records as pure values: what is stored, checked the same way by every face.

No database, no clock, no settings: each module parses and validates one kind of
record and holds the frozen views the store returns. ``fields`` (the checks
records share: state codes, dates, document numbers and their look-up key),
``alerts`` (the alert object and its subjects), ``partner_alerts`` (an alert a
partner shared), ``watchlist`` (a watchlist line, with its fast path for bulk
loads), ``inspections`` (inspections and hit reviews as read back), ``cases``,
and ``catalogues`` (the node's crossing points and decision reasons, read from
its catalogue file by the composition root), with ``decision_reasons`` (the
reasons per direction, their labels by language) and ``catalogue_parsing`` (what
every section is read with); ``seizures`` (what an officer seized) and
``notices`` (what a refusal notice or a seizure receipt says).
"""
