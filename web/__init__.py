"""The clinic's web app: demo page with the chat widget, booking redirect, health check."""
