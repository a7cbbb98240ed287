"""Retraining with gates: validate, train, test, compare, activate; model history."""
