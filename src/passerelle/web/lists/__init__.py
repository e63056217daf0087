"""The analysts' list pages: loading a watchlist or SLTD file with its progress and its
rejected lines (:mod:`.loads`), and one watchlist person or one document's record read,
changed and withdrawn by hand, with its history (:mod:`.records`).

Each does what the CLI's equivalent does, with the same permission
(``Permission.MANAGE_WATCHLIST``, ``Permission.MANAGE_SLTD``) and the same audit records.
"""

__all__ = ["loads", "records"]
