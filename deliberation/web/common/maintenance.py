"""A full disk on a Streamlit page: the Chinese maintenance message in place of the page, never
Streamlit's exception box. Writes refused for a full disk need nothing here: they raise
StoreBusy's subclass DiskFull, whose message the forms already show (context.attempt)."""
from __future__ import annotations

import logging
from typing import NoReturn

import streamlit as st

from ...services.database import DiskFull

log = logging.getLogger("deliberation.web")


def stop_for_disk_full(exc: DiskFull) -> NoReturn:
    """Show why the page cannot be served, and end this run (the next click tries again)."""
    log.warning("page stopped: the disk is full (%s)", exc.message)
    st.error(exc.message, icon=":material/construction:")
    st.stop()
