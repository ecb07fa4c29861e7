"""Identifier checks in python-stdnum's shape: each module has compact/validate/is_valid/format.

python-stdnum does the checksums; these modules add what it lacks (SdI recipient codes, PEC,
Italian postal codes and provinces, kind detection) and dispatch tax codes by country.
Every `validate` returns the clean value or raises `InvalidIdentifier` with a message key.
"""
