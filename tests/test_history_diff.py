"""The field-level diff, the protected-fact rule and the 认定 match, without Git."""

from __future__ import annotations

import copy

import pytest

from conftest import valid_bytes
from dangan.factpath import PathError, parse, render
from dangan.history.fielddiff import ADDED, CHANGED, REMOVED, diff
from dangan.history.guard import judge
from dangan.history.sections import Version, changed_sections
from dangan.load import load_bytes

BASE = load_bytes(valid_bytes()).data
DET = {"项目": "出生年月", "原值": "1972.03", "认定值": "1972.05", "依据": ["1-1", "6-1"],
       "认定机关": "中共长治市委组织部", "认定日期": "2026.11.20", "文号": "长组审〔2026〕3号"}


def judged(new, old=BASE, trailers=None):
    return judge(diff(old, new), old, new, trailers)


def edited(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


@pytest.mark.parametrize("text,path", [
    ("出生年月", ("出生年月",)), ("学历学位[2].毕业时间", ("学历学位", 1, "毕业时间")), ("简历[3]", ("简历", 2)),
    ("档案目录[9-2-5]", ("档案目录", "9-2-5")), ("年度考核[2019].结果", ("年度考核", "2019", "结果")),
    ("干部身份.取得方式", ("干部身份", "取得方式"))])
def test_fact_paths_round_trip(text, path):
    assert parse(text) == path and render(path) == text


@pytest.mark.parametrize("text", ["学历学位[0]", "档案目录[3]", "年度考核[19]", "出生 年月", "学历学位[1]毕业时间", ""])
def test_bad_fact_paths_are_refused(text):
    with pytest.raises(PathError):
        parse(text)


def test_scalar_change_unauthorised_then_authorised():
    [c] = judged(edited(出生年月="1972.05"))
    assert (c.ref, c.old, c.new, c.kind, c.protected, c.authorised) == ("出生年月", "1972.03", "1972.05", CHANGED, True, False)
    changes = judged(edited(出生年月="1972.05", 认定记录=[DET]))
    birth = next(c for c in changes if c.ref == "出生年月")
    assert birth.authorised and "长组审〔2026〕3号" in birth.basis
    added = next(c for c in changes if c.ref == "认定记录[1]")
    assert added.kind == ADDED and not added.protected


@pytest.mark.parametrize("change", [
    {"原值": "1972.04"}, {"认定值": "1972.06"}, {"项目": "参加工作时间"}, {"依据": ["1-9"]}])
def test_a_determination_that_does_not_match_authorises_nothing(change):
    [birth] = [c for c in judged(edited(出生年月="1972.05", 认定记录=[{**DET, **change}])) if c.ref == "出生年月"]
    assert birth.protected and not birth.authorised


def test_a_determination_already_in_the_old_version_does_not_count():
    old = edited(认定记录=[DET])
    [c] = judged(edited(出生年月="1972.05", 认定记录=[DET]), old=old)
    assert c.unauthorised


def test_resume_closing_and_appending_are_free_but_rewriting_is_not():
    resume = copy.deepcopy(BASE["简历"])
    resume[-1]["截止"] = "2026.10"
    resume.append({"起始": "2026.10", "截止": None, "内容": "长治市财政局局长", "性质": "工作", "职级": "县处级正职"})
    changes = judged(edited(简历=resume))
    assert [(c.ref, c.kind, c.protected) for c in changes] == [("简历[5].截止", CHANGED, False), ("简历[6]", ADDED, False)]
    resume[1]["内容"] = "山西省长治市财政局预算科副科长"
    [c] = [c for c in judged(edited(简历=resume)) if c.protected]
    assert c.ref == "简历[2].内容" and c.unauthorised


def test_catalog_entries_named_by_number_added_free_removed_protected():
    catalog = copy.deepcopy(BASE["档案目录"])
    catalog.insert(3, {"类号": "10", "序号": 9, "材料名称": "体检表", "形成时间": "2026.01", "页数": 1, "接收时间": "2026.01.05"})
    [c] = judged(edited(档案目录=catalog))
    assert (c.ref, c.kind, c.protected) == ("档案目录[10-9]", ADDED, False)
    removed = [e for e in BASE["档案目录"] if not (e["类号"] == "6" and e["序号"] == 1)]
    [c] = judged(edited(档案目录=removed))
    assert (c.ref, c.kind, c.unauthorised) == ("档案目录[6-1]", REMOVED, True)


def test_past_assessment_and_punishment_are_protected_evidence_growth_is_not():
    years = copy.deepcopy(BASE["年度考核"])
    years[0]["结果"] = "优秀"
    [c] = judged(edited(年度考核=years))
    assert (c.ref, c.old, c.new, c.unauthorised) == ("年度考核[1995].结果", "称职", "优秀", True)
    rewards = copy.deepcopy(BASE["奖惩情况"])
    rewards[0]["依据"] = [*rewards[0]["依据"], "1-1"]
    [c] = judged(edited(奖惩情况=rewards))
    assert c.ref == "奖惩情况[1].依据" and not c.protected
    [c] = judged(edited(奖惩情况=[]))
    assert (c.ref, c.kind, c.unauthorised) == ("奖惩情况[1]", REMOVED, True)
    det = {**DET, "项目": "奖惩情况[1]", "原值": "记三等功", "认定值": "撤销"}
    assert [c.authorised for c in judged(edited(奖惩情况=[], 认定记录=[det])) if c.protected] == [True]


def test_id_number_changes_are_masked_in_reports():
    from dangan.history.render import change_line

    [c] = judged(edited(身份证号="142521197203150038"))
    assert "1425**********0038" in change_line(c) and "142521197203150011" not in change_line(c)


def test_sections_agree_with_a_whole_parse():
    raw = valid_bytes()
    new_raw = raw.replace("出生年月: \"1972.03\"".encode(), "出生年月: \"1972.05\"".encode()).replace(
        "认定记录: []".encode(), "认定记录:\n  - {项目: 出生年月, 原值: \"1972.03\", 认定值: \"1972.05\", 依据: [\"1-1\"], "
        "认定机关: 市委组织部, 认定日期: \"2026.11.20\", 文号: 长组审〔2026〕3号}\n".encode())
    cache = {}
    old, new = Version(raw, cache), Version(new_raw, cache)
    assert old.data() == BASE and Version(raw, {}).data() == BASE
    keys = new.changed_keys(old)
    assert keys == ["出生年月", "认定记录"]
    before, after, _fresh = changed_sections(old, new, keys)
    fast = judge(diff(before, after, keys), before, after, None, new.section)
    full = judged(load_bytes(new_raw).data)
    assert fast == full and [c.authorised for c in fast if c.protected] == [True]
