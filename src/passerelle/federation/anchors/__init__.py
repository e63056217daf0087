"""Audit anchors: checkpoints of this node's audit chain kept by partners, and returned."""
