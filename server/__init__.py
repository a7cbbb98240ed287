"""Plug-ins loaded by the Rasa server: fail-safe channels and the clinic's NLG."""
