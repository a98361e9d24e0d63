"""Services that act without a signed-in user say so; the layering tests hold them to it
(tests/test_service_boundaries.py)."""
from __future__ import annotations


def public_read(fn):
    """A read any visitor may make without signing in (the residents' board): it reads only what
    has no personal column — the public views, and the settings, seats and categories of
    compounds and areas."""
    fn.acts_for = "public"
    return fn


def for_sign_in(fn):
    """A step of signing in or out: it runs before (or after) there is an actor."""
    fn.acts_for = "sign_in"
    return fn


def for_operators(fn):
    """A probe of the server itself (/healthz): it takes no actor and no connection, and reads no
    row of the app's tables — only SQLite's catalogue, the migrations' record and the disk."""
    fn.acts_for = "operators"
    return fn
