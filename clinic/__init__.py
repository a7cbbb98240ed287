"""The clinic's plain-Python core: settings, facts, triage, advice, summary.

Nothing here imports Rasa; the action server and the NLU components translate
between Rasa and these modules.
"""
