"""Placeholder: replaced by the residents' public board."""
import streamlit as st

st.title("居民公示栏")
