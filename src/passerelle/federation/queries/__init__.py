"""Hit/no-hit queries (Prüm): asking partners from an inspection, answering theirs.

Modules: ``asking`` (this node asks), ``handlers`` (the listener's query handlers),
``answers`` (matching and the sharing rules applied to an answer), ``bodies`` (what may
be asked, the answers and score bands), ``references`` (the opaque handle a hit gives).
"""
