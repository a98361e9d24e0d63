"""The server: the Streamlit app (streamlit_app.py) plus the residents' light pages under /board/
(deliberation/web/resident, with /household for the board's 议事码) and the staff's sign-in and
sign-out (deliberation/web/signin/http.py): the server, not a script, sets every cookie.
One process serves them all. Start it with `streamlit run app.py`."""
import gc
from contextlib import asynccontextmanager

import streamlit as st

from deliberation.web import health, resident
from deliberation.web.signin import http as sign_in_http


@asynccontextmanager
async def lifespan(app):
    # Everything loaded at start (Streamlit, pandas, plotly: a large heap that never goes away) is
    # moved out of the collector's reach: a full collection then walks only what requests made, and
    # no longer stalls a burst of residents' requests (benchmarks/: board_load, first warm burst
    # 210-260 ms → ~130 ms p95).
    gc.collect()
    gc.freeze()
    yield


ROUTES = [*health.routes(), *sign_in_http.routes(), *resident.routes()]
app = st.App("streamlit_app.py", routes=ROUTES, lifespan=lifespan)
