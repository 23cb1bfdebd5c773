"""The community feed pipeline: retrieve -> parse -> sanitize -> store, run by update.

Cut like lemon24/reader: each stage is its own module with typed dataclasses,
so each can be tested (and replaced) alone. ``kring.feeds.cli`` is `invoke fetch`.
"""
