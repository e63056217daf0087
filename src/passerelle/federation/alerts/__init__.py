"""Alerts between partners: this node's alerts queued for them, theirs applied here.

Modules: ``outgoing`` (each alert step queued in the outbox, backfill for a new or
widened partner), ``incoming`` (a partner's alert messages applied once; the views).
"""
