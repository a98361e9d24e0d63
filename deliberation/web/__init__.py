"""The Streamlit web layer, the only package that imports streamlit: one folder per page (its
page.py, its widgets, its strings.py), and common/ for what pages share. Calls services only."""
