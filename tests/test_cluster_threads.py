"""Clustering runs on one thread even when scikit-learn is first imported by it (a limit
entered before the import does not reach scikit-learn's OpenMP runtime), and so do the
bootstrap refits of the stability, which run later, when it is first read."""

import os
import subprocess
import sys
import textwrap


def test_fit_uses_one_thread_in_a_fresh_interpreter():
    script = textwrap.dedent("""
        import sys
        import numpy as np
        import pandas as pd
        assert "sklearn" not in sys.modules
        from audit.peers import clusters
        seen = []
        fit = clusters._fit
        def spy(*args, **kwargs):
            from threadpoolctl import threadpool_info
            seen.extend(info["num_threads"] for info in threadpool_info())
            return fit(*args, **kwargs)
        clusters._fit = spy
        rng = np.random.default_rng(0)
        frame = pd.DataFrame(rng.uniform(0, 100, (40, 7)),
                             columns=clusters.DIMENSIONS,
                             index=[f"inst {i}" for i in range(40)])
        found = clusters.cluster_institutions(frame)
        grouped = len(seen)
        found.agreement  # the bootstrap refits run when the stability is first read
        print(max(seen), grouped, len(seen) - grouped)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env=os.environ | {"OMP_NUM_THREADS": "2"})
    most, clustering, stability = map(int, out.stdout.split())
    assert clustering > 0 and stability > 0
    assert most == 1

