"""Cartella's domain: models, rules, store and services. Never imports streamlit."""
