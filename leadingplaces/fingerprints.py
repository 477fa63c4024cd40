"""A short digest of saved values, carried by a form as it was opened so that a save over
someone else's change made since can be refused (the evaluators' forms and the back office's
inline rows)."""

import hashlib


def fingerprint(values):
    """A short digest of some saved values, the same whatever their order."""
    return hashlib.sha256(repr(sorted(map(repr, values))).encode()).hexdigest()[:20]
