"""Stage 1, ingest: from the files an auditor uploads to a validated data set.

    contract   the sheets and columns an input may hold, in Spanish and English
    reader     files (xlsx, ods, csv, zip) -> raw tables, one per recognised sheet
    parse      column parsers: dates, counts, answers, networks, handles and URLs
    validate   raw tables -> typed, checked ``Dataset``; every problem logged
    problems   the problem log, with sheet, Excel row and column of each problem
    template   the blank workbook generated from the contract
"""
