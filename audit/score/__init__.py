"""Stage 3, score: from measured values to scores, levels and recommended actions.

    rubric      the YAML file with every threshold, weight, gate and citation
    curves      measured value -> score 0-100 (lognormal, share, steps, ...)
    scorecard   criteria -> dimensions -> overall score -> maturity level
    recommend   ranked actions per institution, with horizon and effort
"""
