"""The site's view of the Git history (``dangan.history``): each dossier's alteration trail,
unauthorised alterations, recent field-level changes.

One scan of the history per build (``History.load``; the history module keeps its own incremental
index, shared with ``dangan audit``). Outside a Git repository, or when the history cannot be read,
``load`` returns None and the pages say “暂无”. Family members are never shown: a change to
家庭成员, or to a 认定记录 about one, is listed without its values; every name they held is collected
for the post-build scan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..privacy import FAMILY, HIDDEN, family_change, names_in, scrub
from ..repo import Repo, RepoError

log = logging.getLogger("mkdocs.plugins.dangan")


@dataclass(frozen=True)
class Change:
    """One field-level change of one dossier in one commit."""

    commit: str  # abbreviated id
    date: str  # YYYY.MM.DD HH:MM (China time)
    author: str
    number: str  # the dossier's 编号 (file stem)
    field: str  # e.g. 出生年月, 简历第 3 项 截止
    before: str
    after: str
    kind: str  # 新增 | 删除 | 修改
    protected: bool
    authorised: bool | None  # None: not a protected field
    basis: str
    undone: str = ""  # undone later, or the undoing of one (the trail's words): not open either way

    @property
    def unauthorised(self) -> bool:
        return self.protected and not self.authorised and not self.undone


class History:
    def __init__(self, changes: list[Change], family_names: set[str] | None = None):
        self.changes = changes  # newest first
        self.family_names = family_names or set()  # everyone ever in a 家庭成员 or a 认定记录 about one
        self.by_number: dict[str, list[Change]] = {}
        for c in changes:
            self.by_number.setdefault(c.number, []).append(c)

    @classmethod
    def load(cls, repo: Repo) -> History | None:
        try:
            from ..history import gitlog
            from ..history.api import judged_ids
            from ..history.render import is_id_change, value, verdict
            from ..history.scan import scan
            from ..privacy import differing_positions
        except ImportError:
            return None
        try:
            if not (repo.root / ".git").exists() or gitlog.head(repo.root) is None:
                return None
            records, _lost = scan(repo, judged_ids(repo))  # after the trail baseline, as audit counts
        except (RepoError, OSError, ValueError) as exc:
            log.warning("读取 Git 历史失败，改动记录暂不显示：%s", scrub(str(exc)))
            return None
        kinds = {"added": "新增", "removed": "删除", "changed": "修改"}
        out = []
        names: set[str] = set()
        for record in reversed(records):  # newest first
            for d in record.dossiers:
                if d.status == "A":
                    out.append(Change(record.short, record.date, record.author, d.number, "（档案文件）", "", d.path,
                                      "新建", False, None, ""))
                elif d.status == "R":
                    out.append(Change(record.short, record.date, record.author, d.number, "（文件名）",
                                      d.old_path or "", d.path, "改名", False, None, ""))
                if d.intake:  # T007: what entered is not the file received
                    out.append(Change(record.short, record.date, record.author, d.number, "（转入的档案文件）",
                                      "接收时的文件", "与接收时不同的文件", "转入", True, False, scrub(d.intake)))
                where = ("转入的档案与本库曾保存的此人档案相比：" if d.received else "重新进入档案库，与本库最后保存的版本相比："
                         ) if d.event == "return" else ""
                for c in d.changes:
                    hidden = family_change(c.path, c.old, c.new)
                    if hidden and (c.path[0] == FAMILY or len(c.path) <= 2):
                        names_in([c.old, c.new], names, named=c.path[-1] == "姓名")
                    section = c.path[0] if len(c.path) == 2 else None
                    before = "" if c.kind == "added" else value(c.old, section, c.path)
                    after = "" if c.kind == "removed" else value(c.new, section, c.path)
                    if is_id_change(c):  # both sides mask alike: say where they differ
                        after += f"（{differing_positions(c.old, c.new)}不同）"
                    label = FAMILY if hidden and c.path[0] == FAMILY else c.label
                    out.append(Change(record.short, record.date, record.author, d.number,
                                      label, HIDDEN if hidden and before else before,
                                      HIDDEN if hidden and after else after, kinds.get(c.kind, c.kind), c.protected,
                                      c.authorised if c.protected else None, "" if hidden else where + scrub(c.basis),
                                      verdict(c).split("：", 1)[0] if c.undone_by or c.undoes else ""))
                if d.status == "D":
                    out.append(Change(record.short, record.date, record.author, d.number, "（档案文件）", d.path, "",
                                      "删除", True, bool(d.documented), "已登记转出" if d.documented else "转递登记中没有转出记录"))
        return cls(out, names)

    def only(self, keep) -> History:
        """The changes of the dossiers ``keep`` accepts (by 编号): a unit's own site. The names once in a
        家庭成员 stay all of them: the post-build scan looks for every one."""
        return History([c for c in self.changes if keep(c.number)], self.family_names)

    def dossier(self, number: str) -> list[Change]:
        return self.by_number.get(number, [])

    def unauthorised(self) -> list[Change]:
        return [c for c in self.changes if c.unauthorised]

    def undone(self) -> list[Change]:
        """Alterations set back later (已撤销): settled, yet a reviewer must still see that they happened."""
        return [c for c in self.changes if c.protected and c.authorised is False and c.undone]

    def recent(self, commits: int) -> list[Change]:
        seen: list[str] = []
        out = []
        for c in self.changes:
            if c.commit not in seen:
                if len(seen) == commits:
                    break
                seen.append(c.commit)
            out.append(c)
        return out
