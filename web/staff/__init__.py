"""The staff console under /staff: login, conversations, pre-visit summaries, erasure."""
