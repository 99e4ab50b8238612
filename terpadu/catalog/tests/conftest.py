from __future__ import annotations

import pytest


@pytest.fixture
def demo_catalog(regions, agencies):  # type: ignore[no-untyped-def]
    """The demo catalogue of MPP Banyuwangi in the test region (agencies a/b are Dukcapil/Dinkes)."""
    from terpadu.catalog.demo import load_demo_catalog
    from terpadu.demo.agencies import load_agencies

    load_agencies(regions["banyuwangi"].code)
    load_demo_catalog(regions["banyuwangi"])
    return regions["banyuwangi"]
