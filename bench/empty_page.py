"""An empty Streamlit page (a title and nothing else), served beside the dashboard by
bench/measure_fresh_tab.py: what a fresh tab costs Streamlit itself."""

import streamlit as st

st.title("Empty")
