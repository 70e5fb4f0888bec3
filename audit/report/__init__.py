"""Stage 5, report: the audit as files and documents.

    tables        the output tables (institutions, scores, profiles, actions, problems)
    research      tidy metrics, codebook, LaTeX/Markdown tables, methods appendix
    write         every file of an audit into one folder
    rubric_doc    documentation generated from the rubrics
    contract_doc  documentation generated from the input contract
"""
