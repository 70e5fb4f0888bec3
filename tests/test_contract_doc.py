"""The input-contract page is generated from the contract and must match it."""

from audit.report.contract_doc import DOC_PATH, render


def test_contract_page_is_in_sync():
    assert DOC_PATH.read_text(encoding="utf-8") == render(), \
        "docs/input-contract.md is stale: run python -m audit.report.contract_doc"


def test_contract_page_lists_every_column():
    from audit.ingest.contract import SHEETS

    page = render()
    for sheet in SHEETS.values():
        for column in sheet.columns:
            assert f"`{column.name}`" in page
