"""Placeholder: replaced by the workbench."""
import streamlit as st

from deliberation.web.context import page_context

ctx = page_context()
st.title(ctx.t("nav.home"))
