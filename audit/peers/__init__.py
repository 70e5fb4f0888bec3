"""Stage 4, peers: which institutions look alike and how groups of them differ.

    clusters   k-means or Ward clusters of institutions, percentiles, best peers
    compare    tests between groups (sectors, countries, clusters) with effect sizes
"""
