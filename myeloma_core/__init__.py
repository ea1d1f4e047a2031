"""The myeloma domain: plain Python rules with their sources. No Django, no database."""
