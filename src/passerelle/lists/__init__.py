"""The node's searchable lists: the indexes a name or a face is screened against.

Both the border check (``screening``) and the answers to partners
(``federation.queries``) search them, so they live below both. ``watchlist``
(:class:`StoreWatchlist`, the watchlist's name-screening index, rebuilt when the
stored list changes), ``alert_names`` (live person alerts, this node's and its
partners', by name in any script) and ``index_cache`` (the built index saved in
``HOME/cache`` so workers and restarts load it instead of building it).
"""
