"""The pure pricing core: plain inputs + an immutable tariff snapshot → quotes.

Nothing in this package touches the database, the cache or the request; the Django
side (`pricing.selectors`, `pricing.services`) builds the snapshot and calls in.
"""
