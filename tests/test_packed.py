"""The site build holds each dossier small (dangan.packed): light data for the pages about many dossiers, the
whole of it packed and unpacked one dossier at a time; a page that reads the bulk from the light part fails."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import valid_bytes
from dangan.load import load_bytes
from dangan.packed import HEAVY, LeftOut, Light, light, pack, unpack
from dangan.repo import Repo

DAY = dt.date(2026, 11, 25)


def test_light_leaves_out_the_bulk_and_says_so():
    data = load_bytes(valid_bytes(), "x.yaml").data
    assert set(HEAVY) <= set(data)
    part = light(data)
    assert set(part) == set(data) - set(HEAVY)
    assert part["姓名"] is data["姓名"] and part.get("简历") is data["简历"]  # shared, not copied
    for key in HEAVY:
        with pytest.raises(LeftOut):
            part.get(key)
        with pytest.raises(LeftOut):
            part[key]
        with pytest.raises(LeftOut):
            assert key in part
    assert unpack(pack(data)) == data and unpack(pack(data)) is not data


def test_site_holds_light_data_and_its_cases_open_the_whole(repo):
    from dangan.review import gather_all
    from dangan.site.model import collect

    site = collect(Repo(repo), DAY)
    (person,) = site.people
    whole = load_bytes(valid_bytes(), "x.yaml").data
    assert isinstance(person.data, Light) and person.data == light(whole)
    assert site.data_of(person.rel) == whole and site.unpacked(person).data == whole
    catalog = [e for e in whole["档案目录"] if isinstance(e.get("页数"), int) and e["页数"] > 0]
    assert person.pages == sum(e["页数"] for e in catalog) > 0
    assert set(person.family) == {m["姓名"] for m in whole["家庭成员"]}

    (case,) = gather_all(Repo(repo), DAY, known=site.checked)
    assert isinstance(case.data, Light) and case.packed is not None
    policy = Repo(repo).policy
    with pytest.raises(LeftOut):
        case.key_facts(policy)  # they are read from the 档案目录 too: not from the light part
    with case.opened() as opened:
        assert opened.data == whole
        assert opened.key_facts(policy)  # worked out from the whole data (档案目录 included)
    assert isinstance(case.data, Light) and "_facts" not in case.__dict__
