"""Performance harness: each case against a bare Django view in the same run (`make bench`)."""
