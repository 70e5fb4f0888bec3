"""Stage 5, report: the audit as files and documents.

    tables            the output tables (institutions, scores, profiles, actions, problems)
    research_exports  tidy metrics, codebook, LaTeX/Markdown tables, methods appendix
    item_analysis     distribution, redundancy and alpha of the criteria (bench scripts)
    excel             report.xlsx: cover, one formatted sheet per table, dimension charts
    write             every file of an audit into one folder
    rubric_doc        documentation generated from the rubrics
    contract_doc      documentation generated from the input contract
"""
